package org.imageferry.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.openstack4j.openstack.image.v2.domain.PatchOperation.OperationType;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.Retries;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PatchNarrowing} through a real {@link ImagesClient} against the simulated Cloud
 * Images with Rackspace's protections on: the simulator refuses a patch whole for one
 * protected key, as Glance does, and its request log counts the {@code PATCH}es.
 */
class PatchNarrowingTests {

	private SimulatedSwift cloud;

	private ImagesClient images;

	private String imageId;

	@BeforeEach
	void start() throws IOException {
		this.cloud = new SimulatedSwift(
				SimulatorConfig.builder().rules(Rules.builder().protectedProperties(true).build()));
		this.images = new ImagesClient(this.cloud.session, "IAD",
				new Retries(2, Duration.ofMillis(1), Duration.ofMillis(10), CloudObserver.NONE));
		this.imageId = this.cloud.cloud
			.addImage(ImageSeed.of("IAD", SimulatedSwift.TENANT, "imported", SyntheticVhd.fixed(1024 * 1024, 3)));
	}

	@AfterEach
	void stop() {
		this.cloud.close();
	}

	static IntStream positions() {
		return IntStream.range(0, 20);
	}

	@ParameterizedTest
	@MethodSource("positions")
	void oneRefusedKeyAmongTwentyCostsAtMostTenRequestsAndTheOthersAreApplied(int position) throws Exception {
		// given: twenty keys, one of them os_type, which Rackspace protects
		List<PatchNarrowing.Change> changes = custom(20);
		changes.set(position, add("os_type", "windows"));

		// when
		PatchNarrowing.Result result = PatchNarrowing.apply(changes, this::patch, Provenance.PROPERTY);

		// then
		assertThat(result.refused()).containsExactly(Map.entry("os_type", 403));
		assertThat(patches(result.requests())).isEqualTo(result.requests()).isLessThanOrEqualTo(10);
		Map<String, String> properties = image().properties();
		changes.stream()
			.map(PatchNarrowing.Change::key)
			.filter((key) -> !key.equals("os_type"))
			.forEach((key) -> assertThat(properties).containsEntry(key, "value of " + key));
		assertThat(properties).containsEntry("os_type", "linux");
	}

	@Test
	void aPatchNothingRefusesIsOneRequest() throws Exception {
		// when
		PatchNarrowing.Result result = PatchNarrowing.apply(custom(20), this::patch, Provenance.PROPERTY);

		// then
		assertThat(result.refused()).isEmpty();
		assertThat(patches(1)).isEqualTo(1);
		assertThat(image().properties()).containsEntry("key-19", "value of key-19");
	}

	@Test
	void severalRefusedKeysAreEachFoundWithTheirOwnStatusAndEverythingElseIsApplied() throws Exception {
		// given: three keys Rackspace may refuse (403), and one value over Glance's 255
		// characters (400)
		List<PatchNarrowing.Change> changes = custom(12);
		changes.set(2, add("org.openstack__1__os_distro", "org.debian"));
		changes.set(5, add("notes", "n".repeat(300)));
		changes.add(add("org.openstack__1__os_version", "22.04"));
		changes.add(add("org.openstack__1__architecture", "x64"));

		// when
		PatchNarrowing.Result result = PatchNarrowing.apply(changes, this::patch, Provenance.PROPERTY);

		// then
		assertThat(result.refused()).containsOnly(Map.entry("org.openstack__1__os_distro", 403),
				Map.entry("notes", 400), Map.entry("org.openstack__1__os_version", 403),
				Map.entry("org.openstack__1__architecture", 403));
		assertThat(patches(result.requests())).isEqualTo(result.requests());
		assertThat(image().properties()).containsKeys("key-00", "key-01", "key-03", "key-04", "key-06", "key-11")
			.doesNotContainKey("notes")
			.containsEntry("org.openstack__1__os_distro", "com.ubuntu");
	}

	@Test
	void narrowingStopsWhenTheEssentialKeyIsRefused() throws Exception {
		// given: everything after the essential key would be accepted
		List<PatchNarrowing.Change> changes = custom(20);
		changes.set(0, add("image_type", "snapshot"));

		// when
		PatchNarrowing.Result result = PatchNarrowing.apply(changes, this::patch, "image_type");

		// then: found in 1 + ⌈log2 20⌉ requests, and nothing more tried
		assertThat(result.refused()).containsExactly(Map.entry("image_type", 403));
		assertThat(patches(result.requests())).isEqualTo(result.requests()).isLessThanOrEqualTo(6);
	}

	@Test
	void aRefusalThatIsNotAboutAKeyIsNotNarrowed() throws Exception {
		// when
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> PatchNarrowing.apply(custom(20),
					(ops) -> this.images.patch("00000000-0000-4000-8000-000000000000", ops), Provenance.PROPERTY))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(404));

		// then
		assertThat(patches(1)).isEqualTo(1);
	}

	private void patch(List<PatchOperation> operations) {
		this.images.patch(this.imageId, operations);
	}

	private static List<PatchNarrowing.Change> custom(int count) {
		List<PatchNarrowing.Change> changes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String key = String.format("key-%02d", i);
			changes.add(add(key, "value of " + key));
		}
		return changes;
	}

	private static PatchNarrowing.Change add(String key, String value) {
		return new PatchNarrowing.Change(key, new PatchOperation(OperationType.ADD, "/" + key, value));
	}

	/**
	 * The {@code PATCH}es the simulator logged, waiting up to 2 s for {@code expected}:
	 * it logs a request just after answering it.
	 */
	private long patches(int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		long count;
		while ((count = this.cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("PATCH"))
			.count()) < expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		return count;
	}

	private Inspection.ImageView image() {
		return this.cloud.inspect().images().stream().filter((i) -> i.id().equals(this.imageId)).findFirst().get();
	}

}

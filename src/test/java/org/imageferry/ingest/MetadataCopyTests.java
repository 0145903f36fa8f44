package org.imageferry.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.ProtectedProperties;
import org.imageferry.cloud.Retries;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetadataCopy} from a source image carrying Rackspace's full property set, onto
 * target images of the simulated cloud: what is sent, what is never sent, and what a
 * refusal costs.
 */
class MetadataCopyTests {

	private static final Map<String, String> BOOT = Map.of("vm_mode", "hvm", "img_config_drive", "mandatory",
			"xenapi_use_agent", "False");

	private SimulatedSwift cloud;

	private ImagesClient dfw;

	private ImagesClient iad;

	void start(Rules rules) throws IOException {
		this.cloud = new SimulatedSwift(SimulatorConfig.builder().rules(rules));
		Retries retries = new Retries(2, Duration.ofMillis(1), Duration.ofMillis(10), CloudObserver.NONE);
		this.dfw = new ImagesClient(this.cloud.session, "DFW", retries);
		this.iad = new ImagesClient(this.cloud.session, "IAD", retries);
	}

	@AfterEach
	void stop() {
		if (this.cloud != null) {
			this.cloud.close();
		}
	}

	@Test
	void withRackspacesProtectionsTheFirstImageFindsTheRefusedKeysAndTheNextCostsOnePatch() throws Exception {
		// given
		start(Rules.builder().protectedProperties(true).build());
		ImageInfo source = source(Map.of("app", "shop"));
		String first = target("first");
		String second = target("second");
		MetadataCopy copy = new MetadataCopy(BOOT);

		// when
		MetadataCopy.Copied one = copy.copy((ops) -> this.iad.patch(first, ops), "DFW:" + source.id(), source);
		long patchesBefore = patches(one.requests());
		MetadataCopy.Copied two = copy.copy((ops) -> this.iad.patch(second, ops), "DFW:" + source.id(), source);

		// then: the keys Rackspace may refuse are named, on both images
		List<String> uncertain = ProtectedProperties.UNCERTAIN.stream().sorted().toList();
		assertThat(one.notCopied()).isEqualTo(uncertain);
		assertThat(one.provenanceRefused()).isNull();
		assertThat(two.notCopied()).isEqualTo(uncertain);
		assertThat(two.requests()).isEqualTo(1);
		assertThat(patches(one.requests() + 1) - patchesBefore).isEqualTo(1);
		for (String id : List.of(first, second)) {
			Inspection.ImageView image = image(id);
			assertThat(image.properties()).containsEntry(Provenance.PROPERTY, "DFW:" + source.id())
				.containsEntry("app", "shop")
				.containsEntry("os_distro", "ubuntu")
				.containsEntry("auto_disk_config", "disabled")
				.containsEntry("cache_in_nova", "True")
				.containsEntry("vm_mode", "hvm")
				.containsEntry("img_config_drive", "mandatory")
				.as("set-properties win over the source's values")
				.containsEntry("xenapi_use_agent", "False");
			assertThat(image.tags()).containsExactly("web");
			assertThat(image.minDisk()).isEqualTo(40);
			assertThat(image.minRam()).isEqualTo(1024);
		}
	}

	@Test
	void noPatchCarriesAKeyKnownToBeProtected() throws Exception {
		// given: a cloud that would accept os_type, image_type and user_id (not
		// com.rackspace*): had they been sent, the target would now show the source's
		start(Rules.defaults());
		ImageInfo source = source(Map.of("os_type", "windows", "image_type", "snapshot", "user_id", "someone-else",
				"com.rackspace__1__source", "kickstart"));
		String target = this.cloud.cloud
			.addImage(ImageSeed.of("IAD", SimulatedSwift.TENANT, "imported", SyntheticVhd.fixed(1024 * 1024, 2))
				.withMetadata(0, 0, List.of(),
						Map.of("os_type", "linux", "image_type", "import", "com.rackspace__1__source", "import")));

		// when
		MetadataCopy.Copied copied = new MetadataCopy(Map.of()).copy((ops) -> this.iad.patch(target, ops),
				"DFW:" + source.id(), source);

		// then: one PATCH, accepted, and the protected values untouched
		assertThat(copied.notCopied()).isEmpty();
		assertThat(patches(1)).isEqualTo(1);
		assertThat(image(target).properties()).containsEntry("os_type", "linux")
			.containsEntry("image_type", "import")
			.containsEntry("user_id", "user-" + SimulatedSwift.TENANT)
			.containsEntry("com.rackspace__1__source", "import")
			.containsEntry("org.openstack__1__os_distro", "com.ubuntu");
	}

	@Test
	void thePatchHoldsNoProtectedKeyEvenWhenTheSourceCarriesEveryOne() {
		// given
		Map<String, String> properties = new HashMap<>();
		for (String key : List.of("image_type", "os_type", "owner", "user_id", "location", "visibility", "id", "status",
				"checksum", "locations", "container_format", "com.rackspace__1__options",
				"com.rackspace__1__build_core", "instance_uuid", "base_image_ref", Provenance.PROPERTY, "app")) {
			properties.put(key, "x");
		}
		ImageInfo source = new ImageInfo("id", "name", "active", "owner", 1, 0, 0, List.of(), properties);

		// when
		List<PatchNarrowing.Change> changes = new MetadataCopy(Map.of("vm_mode", "hvm")).changes("DFW:id", source);

		// then
		assertThat(changes).extracting(PatchNarrowing.Change::key)
			.containsExactly(Provenance.PROPERTY, "tags", "min_disk", "min_ram", "app", "vm_mode");
		assertThat(changes.get(0).operation().getValue()).isEqualTo("DFW:id");
	}

	@Test
	void aSourceImageThatIsGoneLeavesTheProvenanceAndSetProperties() {
		// when
		List<PatchNarrowing.Change> changes = new MetadataCopy(BOOT).changes("DFW:id", null);

		// then
		assertThat(changes).extracting(PatchNarrowing.Change::key)
			.containsExactly(Provenance.PROPERTY, "img_config_drive", "vm_mode", "xenapi_use_agent");
	}

	@Test
	void aRefusedProvenanceIsReportedAndTriedAgainOnTheNextImage() {
		// given: a target that, like Glance, refuses a patch whole for one key it
		// protects, here the provenance
		Set<String> refused = Set.of(Provenance.PROPERTY);
		PatchNarrowing.Target target = (ops) -> {
			if (ops.stream().map(PatchOperation::getPath).anyMatch((path) -> refused.contains(path.substring(1)))) {
				throw CloudException.ofStatus("PATCH image", 403, "reserved", null);
			}
		};
		ImageInfo source = new ImageInfo("id", "name", "active", "owner", 1, 0, 0, List.of(), Map.of("app", "x"));
		MetadataCopy copy = new MetadataCopy(Map.of());

		// when
		MetadataCopy.Copied first = copy.copy(target, "DFW:id", source);
		MetadataCopy.Copied second = copy.copy(target, "DFW:id", source);

		// then: the provenance is tried again on the next image
		assertThat(first.provenanceRefused()).isEqualTo(403);
		assertThat(first.notCopied()).isEmpty();
		assertThat(second.provenanceRefused()).isEqualTo(403);
	}

	private ImageInfo source(Map<String, String> extra) {
		String id = this.cloud.cloud
			.addImage(ImageSeed.of("DFW", SimulatedSwift.TENANT, "source", SyntheticVhd.fixed(1024 * 1024, 1))
				.withMetadata(40, 1024, List.of("web"), extra));
		return this.dfw.image(id).orElseThrow();
	}

	private String target(String name) {
		return this.cloud.cloud
			.addImage(ImageSeed.of("IAD", SimulatedSwift.TENANT, name, SyntheticVhd.fixed(1024 * 1024, 2)));
	}

	private Inspection.ImageView image(String id) {
		return this.cloud.inspect().images().stream().filter((i) -> i.id().equals(id)).findFirst().orElseThrow();
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

}

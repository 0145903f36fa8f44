package org.imageferry.cloud;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.openstack4j.openstack.image.v2.domain.PatchOperation.OperationType;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ImagesClient} against the simulated Cloud Images, through OpenStack4j and
 * {@link JdkHttpConnector}: the JSON-patch media type reaches the service, a refusal is a
 * typed failure, and a task listing pages no further back than it needs.
 */
class ImagesClientTests {

	private SimulatedSwift cloud;

	private ImagesClient images;

	private String imageId;

	@BeforeEach
	void start() throws IOException {
		// tasks that stay in progress: a finished one expires, and leaves the listing
		this.cloud = new SimulatedSwift(
				SimulatorConfig.builder().taskLatency(Duration.ofHours(1), Duration.ofHours(1)));
		this.images = new ImagesClient(this.cloud.session, "IAD",
				new Retries(2, Duration.ofMillis(1), Duration.ofMillis(10), CloudObserver.NONE));
		this.imageId = this.cloud.cloud
			.addImage(ImageSeed.of("IAD", SimulatedSwift.TENANT, "imported", SyntheticVhd.fixed(1024 * 1024, 3)));
	}

	@AfterEach
	void stop() {
		this.cloud.close();
	}

	@Test
	void aPatchSetsTagsSizesAndProperties() {
		// when
		this.images.patch(this.imageId,
				List.of(new PatchOperation(OperationType.REPLACE, "/tags", List.of("web", "debian")),
						new PatchOperation(OperationType.REPLACE, "/min_disk", 10),
						new PatchOperation(OperationType.ADD, "/app", "shop")));

		// then
		Inspection.ImageView image = this.cloud.inspect()
			.images()
			.stream()
			.filter((i) -> i.id().equals(this.imageId))
			.findFirst()
			.orElseThrow();
		assertThat(image.tags()).containsExactly("web", "debian");
		assertThat(image.minDisk()).isEqualTo(10);
		assertThat(image.properties()).containsEntry("app", "shop");
	}

	@Test
	void aPatchOfAMissingImageFailsWith404() {
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.images.patch("00000000-0000-4000-8000-000000000000",
					List.of(new PatchOperation(OperationType.ADD, "/app", "shop"))))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(404))
			.satisfies((ex) -> assertThat(ex.retryable()).isFalse())
			.withMessageContaining("does not exist");
	}

	@Test
	void aPatchTheServiceRefusesIsAPermanentFailure() {
		assertThatExceptionOfType(CloudException.class).isThrownBy(
				() -> this.images.patch(this.imageId, List.of(new PatchOperation(OperationType.REMOVE, "/nothing"))))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(409))
			.satisfies((ex) -> assertThat(ex.retryable()).isFalse());
	}

	@Test
	void aTaskListingReadsNoFurtherBackThanTheOldestTaskItWasAskedFor() {
		// given 150 export tasks: a page holds 100
		List<String> tasks = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			String id = this.cloud.cloud.addImage(
					ImageSeed.of("IAD", SimulatedSwift.TENANT, "listed-" + i, SyntheticVhd.fixed(1024 * 1024, i)));
			tasks.add(this.images.createExport(id, "exports").id());
		}

		// when: all of them, then tasks on the first page, then the last one listed
		List<TaskInfo> all = this.images.tasks("export", Instant.EPOCH, Set.of());
		Set<String> onFirstPage = all.subList(0, 10).stream().map(TaskInfo::id).collect(Collectors.toSet());
		List<TaskInfo> newest = this.images.tasks("export", Instant.EPOCH, onFirstPage);
		List<TaskInfo> oldest = this.images.tasks("export", Instant.EPOCH, Set.of(all.get(149).id()));

		// then: one page (100 tasks) when what was asked for is on it, else all pages
		assertThat(all).extracting(TaskInfo::id).containsExactlyInAnyOrderElementsOf(tasks);
		assertThat(newest).hasSize(100).extracting(TaskInfo::id).containsAll(onFirstPage);
		assertThat(oldest).hasSize(150);
	}

}

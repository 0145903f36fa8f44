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

import org.imageferry.simulator.Faults;
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

	@Test
	void aListingRefusedForItsTypeFilterFallsBackOnceAndFiltersHere() throws InterruptedException {
		// given: two exports and an import; type=export refused as upstream Glance does
		this.cloud.cloud.rules(this.cloud.cloud.rules().toBuilder().refusedTaskTypeFilters(Set.of("export")).build());
		String first = this.images.createExport(this.imageId, "exports").id();
		String second = this.images
			.createExport(
					this.cloud.cloud.addImage(
							ImageSeed.of("IAD", SimulatedSwift.TENANT, "other", SyntheticVhd.fixed(1024 * 1024, 4))),
					"exports")
			.id();
		String imported = this.images.createImport("imports/some.vhd", "some").id();
		int before = this.cloud.inspect().requests().size();

		// when: three listings of exports, one of imports
		List<List<TaskInfo>> exports = List.of(this.images.tasks("export", Instant.EPOCH, Set.of()),
				this.images.tasks("export", Instant.EPOCH, Set.of()),
				this.images.tasks("export", Instant.EPOCH, Set.of(first)));
		List<TaskInfo> imports = this.images.tasks("import", Instant.EPOCH, Set.of());

		// then: the refusal is met once; each listing is then one request, filtered here
		assertThat(exports).allSatisfy(
				(listed) -> assertThat(listed).extracting(TaskInfo::id).containsExactlyInAnyOrder(first, second));
		assertThat(imports).extracting(TaskInfo::id).containsExactly(imported);
		List<Inspection.RequestView> listings = listingsSince(before, 5);
		assertThat(listings).extracting(Inspection.RequestView::status).containsExactly(400, 200, 200, 200, 200);
		assertThat(listings.get(0).query()).contains("type=export");
		assertThat(listings.subList(1, 5)).allSatisfy((r) -> assertThat(r.query()).doesNotContain("type="));
	}

	/**
	 * The task listings the simulator recorded since request {@code from}, once there are
	 * {@code expected} (it records a request just after answering it) or a second has
	 * passed.
	 */
	private List<Inspection.RequestView> listingsSince(int from, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		while (true) {
			List<Inspection.RequestView> listings = this.cloud.inspect()
				.requests()
				.stream()
				.skip(from)
				.filter((r) -> r.method().equals("GET") && r.path().endsWith("/v2/tasks"))
				.toList();
			if (listings.size() >= expected || System.nanoTime() > deadline) {
				return listings;
			}
			Thread.sleep(10);
		}
	}

	@Test
	void aListingThatFailsOtherwiseKeepsItsFilter() {
		// given: every request answered 503
		this.cloud.cloud.faults(Faults.builder().errorRates(1.0, 0, 0).retryAfter(Duration.ZERO).build());

		// when / then
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.images.tasks("export", Instant.EPOCH, Set.of()))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(503));
		this.cloud.cloud.faults(Faults.none());
		this.images.tasks("export", Instant.EPOCH, Set.of());
		assertThat(this.cloud.inspect().requests())
			.filteredOn((r) -> r.method().equals("GET") && r.path().endsWith("/v2/tasks"))
			.allSatisfy((r) -> assertThat(r.query()).contains("type=export"));
	}

	@Test
	void aListingRemembersWhenItEnded() {
		// given
		assertThat(this.images.lastTaskListing()).isEmpty();
		Instant before = Instant.now();

		// when
		this.images.tasks("export", Instant.EPOCH, Set.of());

		// then
		assertThat(this.images.lastTaskListing()).get()
			.satisfies((ended) -> assertThat(ended).isBetween(before, Instant.now()));
	}

	@Test
	void anOverLimitAnswerKeepsItsRetryAfter() {
		// given: one task POST a minute
		this.cloud.cloud.rules(this.cloud.cloud.rules().toBuilder().taskPostsPerMinute(1).build());
		this.images.createExport(this.imageId, "exports");

		// when / then: refused until the minute has passed, as Retry-After says
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.images.createExport(this.imageId, "exports"))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(413))
			.satisfies((ex) -> assertThat(ex.retryable()).isTrue())
			.satisfies((ex) -> assertThat(ex.retryAfter()).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
	}

}

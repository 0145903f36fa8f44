package org.imageferry.job;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import org.imageferry.ImageFerryApplication;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.RunItem;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job against the simulated cloud, within one account, DFW to IAD: happy path,
 * per-image failures, invalid manifest lines, nightly re-runs, {@code --force}, and
 * restart after the cloud failed mid-run.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
class MigrationJobFunctionalTests {

	@TempDir
	static Path dir;

	static TestCloud cloud;

	JobOperatorTestUtils jobs;

	@Autowired
	Ledger ledger;

	@Autowired
	RouteConnector routes;

	@Autowired
	void jobs(JobOperator jobOperator, JobRepository jobRepository, Job job) {
		this.jobs = new JobOperatorTestUtils(jobOperator, jobRepository);
		this.jobs.setJob(job);
	}

	@BeforeAll
	static void startCloud() throws Exception {
		cloud = new TestCloud(dir, TestCloud.defaults());
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@DynamicPropertySource
	static void profile(DynamicPropertyRegistry registry) {
		TestCloud.profile(registry, () -> cloud, false, "DFW", "IAD");
		registry.add("image-ferry.source.container", () -> "exports");
		registry.add("image-ferry.target.container", () -> "imports");
		registry.add("image-ferry.retries", () -> "2");
		registry.add("image-ferry.consistency-wait", () -> "2s");
		registry.add("image-ferry.size-limit", () -> "64MB");
	}

	JobExecution run(Path manifest, LocalDate day, String force) throws Exception {
		JobParameters parameters = TestCloud.parameters(manifest, this.routes.route().key(), day, force, "test");
		return this.jobs.startJob(parameters);
	}

	List<RunItem> items(JobExecution execution) {
		return this.ledger.runItems(execution.getJobInstance().getInstanceId());
	}

	/** Read and write counts of a step ({@code [read, write]}). */
	static long[] counts(JobExecution execution, String name) {
		StepExecution step = execution.getStepExecutions()
			.stream()
			.filter((s) -> s.getStepName().equals(name))
			.findFirst()
			.orElseThrow();
		return new long[] { step.getReadCount(), step.getWriteCount() };
	}

	@Test
	void aRunIsOnlyContinuedWithTheRouteItWasStartedFor() throws Exception {
		// given: a run started for a target the profile no longer names
		String a = cloud.seed("DFW", cloud.alice, "route-a", SyntheticVhd.fixed(TestCloud.MIB, 21));
		Path manifest = cloud.manifest("route.csv", a + ",");
		JobParameters parameters = TestCloud.parameters(manifest, "DFW:alice>ORD:alice", LocalDate.of(2026, 1, 9), null,
				"test");

		// when
		JobExecution execution = this.jobs.startJob(parameters);

		// then: refused before anything was recorded or created
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(execution.getAllFailureExceptions()).extracting(Throwable::getMessage)
			.anySatisfy((message) -> assertThat(message).contains(
					"this run was started for DFW:alice>ORD:alice but the profile now names DFW:alice>IAD:alice"));
		assertThat(items(execution)).isEmpty();
		assertThat(cloud.tasksFor("export", a)).isEmpty();
	}

	@Test
	void migratesFixedAndDynamicMultiSegmentImagesWithTheirMetadata() throws Exception {
		// given
		SyntheticVhd fixed = SyntheticVhd.fixed(3 * TestCloud.MIB, 11);
		SyntheticVhd dynamic = SyntheticVhd.dynamic(16 * TestCloud.MIB, 12, 0.5);
		String a = cloud.seed("DFW", cloud.alice, "fixed-a", fixed);
		String b = cloud.seed("DFW", cloud.alice, "dynamic-b", dynamic);
		Path manifest = cloud.manifest("happy.csv", a + ",renamed-a", b + ",");

		// when
		JobExecution execution = run(manifest, LocalDate.of(2026, 1, 1), null);

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(counts(execution, "load")[1]).isEqualTo(2);
		assertThat(counts(execution, "preflight")).containsExactly(2, 2);
		assertThat(items(execution)).extracting((i) -> i.image().state()).containsOnly(ImageState.MIGRATED);
		assertThat(items(execution)).flatExtracting((i) -> i.image().propertiesNotCopied()).isEmpty();
		Inspection.ImageView movedA = single(cloud.migrated("IAD", "DFW", a));
		Inspection.ImageView movedB = single(cloud.migrated("IAD", "DFW", b));
		assertThat(movedA.name()).isEqualTo("renamed-a");
		assertThat(movedB.name()).isEqualTo("dynamic-b");
		assertThat(movedA.tags()).containsExactly("web", "fixed-a");
		assertThat(movedA.minDisk()).isEqualTo(10);
		assertThat(movedA.minRam()).isEqualTo(512);
		assertThat(movedA.properties()).containsEntry("os_distro", "debian").containsEntry("app", "fixed-a");
		assertThat(cloud.inspect().imageMd5(movedA.id())).isEqualTo(cloud.inspect().imageMd5(a));
		assertThat(cloud.inspect().imageMd5(movedB.id())).isEqualTo(cloud.inspect().imageMd5(b));
		assertThat(cloud.tasksFor("export", a)).hasSize(1);
		assertThat(cloud.tasksFor("import", a)).hasSize(1);
		assertThat(cloud.objects("DFW", cloud.alice)).noneMatch((o) -> o.contains(a) || o.contains(b));
		assertThat(cloud.objects("IAD", cloud.alice)).noneMatch((o) -> o.contains(a) || o.contains(b));
	}

	@Test
	void eachFailureIsThatImagesOutcomeAndTheOthersStillMigrate() throws Exception {
		// given
		String good = cloud.seed("DFW", cloud.alice, "good", SyntheticVhd.fixed(2 * TestCloud.MIB, 21));
		String notVhd = cloud.seed("DFW", cloud.alice, "garbage",
				SyntheticVhd.fixed(2 * TestCloud.MIB, 22).withDefect(SyntheticVhd.Defect.NOT_A_VHD));
		String differencing = cloud.seed("DFW", cloud.alice, "child",
				SyntheticVhd.dynamic(4 * TestCloud.MIB, 23).withDefect(SyntheticVhd.Defect.DIFFERENCING));
		String zeroUuid = cloud.seed("DFW", cloud.alice, "zero",
				SyntheticVhd.fixed(TestCloud.MIB, 24).withDefect(SyntheticVhd.Defect.ZERO_UUID));
		String forced = cloud.seed("DFW", cloud.alice, "forced", SyntheticVhd.fixed(TestCloud.MIB, 25));
		String bobs = cloud.seed("DFW", cloud.bob, "not-mine", SyntheticVhd.fixed(TestCloud.MIB, 26));
		String badChecksum = cloud.seed("DFW", cloud.alice, "checksum",
				SyntheticVhd.fixed(TestCloud.MIB, 27).withDefect(SyntheticVhd.Defect.BAD_CHECKSUM));
		String unsupported = cloud.seed("DFW", cloud.alice, "type5",
				SyntheticVhd.dynamic(2 * TestCloud.MIB, 28).withDefect(SyntheticVhd.Defect.UNSUPPORTED_TYPE));
		String tooBig = cloud.seed("DFW", cloud.alice, "sparse-but-huge",
				SyntheticVhd.dynamic(128 * TestCloud.MIB, 29, 0.02));
		String missing = "00000000-0000-4000-8000-000000000000";
		String refused = cloud.cloud
			.addImage(ImageSeed.of("DFW", cloud.alice.tenantId(), "long-notes", SyntheticVhd.fixed(TestCloud.MIB, 30))
				.withMetadata(0, 0, List.of(), Map.of("notes", "n".repeat(300))));
		cloud.cloud.faults(Faults.builder().forcedImportFailures(Map.of(forced, 609)).build());
		Path manifest = cloud.manifest("failures.csv", good, notVhd, differencing, zeroUuid, forced, bobs, missing,
				badChecksum, unsupported, tooBig, refused);

		// when
		JobExecution execution = run(manifest, LocalDate.of(2026, 1, 2), null);
		cloud.cloud.faults(Faults.none());

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		Map<String, String> codes = new java.util.HashMap<>();
		items(execution).forEach((i) -> codes.put(i.sourceImageId(),
				(i.image().state() == ImageState.MIGRATED) ? "migrated" : i.image().failureCode()));
		assertThat(codes).containsEntry(good, "migrated")
			.containsEntry(notVhd, "396")
			.containsEntry(differencing, "721")
			.containsEntry(zeroUuid, "614")
			.containsEntry(forced, "609")
			.containsEntry(bobs, "NOT_FOUND")
			.containsEntry(missing, "NOT_FOUND")
			.containsEntry(badChecksum, "111")
			.containsEntry(unsupported, "523")
			.containsEntry(tooBig, "413")
			.containsEntry(refused, "migrated");
		// the import task's own text, as the cloud sent it (Rackspace's still says 40GB)
		assertThat(item(execution, forced).image().failureMessage())
			.contains("609: The image cannot be imported. The physical size of the disk exceeds the 40GB limit.");
		// image-ferry's own check names the limit configured
		assertThat(item(execution, tooBig).image().failureMessage()).startsWith(
				"413: The image cannot be imported. The virtual size of the disk exceeds the size-limit of 64MB "
						+ "(67,108,864 bytes).");
		assertThat(cloud.tasksFor("import", notVhd)).as("a VHD defect is caught before import").isEmpty();
		assertThat(single(cloud.migrated("IAD", "DFW", good)).name()).isEqualTo("good");
		// the target refused one property (over Glance's 255 characters): the image
		// migrated with everything else, and a warning naming it
		assertThat(item(execution, refused).image().propertiesNotCopied()).containsExactly("notes");
		assertThat(single(cloud.migrated("IAD", "DFW", refused)).properties()).doesNotContainKey("notes")
			.containsEntry("os_distro", "ubuntu");
		assertThat(cloud.objects("IAD", cloud.alice)).noneMatch((o) -> o.contains(refused));
	}

	RunItem item(JobExecution execution, String sourceImageId) {
		return items(execution).stream().filter((i) -> i.sourceImageId().equals(sourceImageId)).findFirst().get();
	}

	@Test
	void invalidManifestLinesFailWithTheirLineNumbersAndValidOnesMigrate() throws Exception {
		// given
		String good = cloud.seed("DFW", cloud.alice, "valid", SyntheticVhd.fixed(TestCloud.MIB, 31));
		Path manifest = cloud.manifest("mixed.csv", "not-a-uuid", good, good.toUpperCase());

		// when
		JobExecution execution = run(manifest, LocalDate.of(2026, 1, 3), null);

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(items(execution)).extracting(RunItem::line, RunItem::disposition, RunItem::problem)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple(2, RunItem.Disposition.INVALID,
							"image_id 'not-a-uuid' is not a UUID"),
					org.assertj.core.groups.Tuple.tuple(3, RunItem.Disposition.MIGRATE, null),
					org.assertj.core.groups.Tuple.tuple(4, RunItem.Disposition.INVALID, "duplicate of line 3"));
		assertThat(cloud.migrated("IAD", "DFW", good)).hasSize(1);
	}

	@Test
	void aNightlyReRunSkipsMigratedImagesAndForceMigratesThemAgain() throws Exception {
		// given
		String id = cloud.seed("DFW", cloud.alice, "nightly", SyntheticVhd.dynamic(4 * TestCloud.MIB, 41));
		Path manifest = cloud.manifest("nightly.csv", id);
		assertThat(run(manifest, LocalDate.of(2026, 2, 1), null).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		int tasks = cloud.inspect().tasks().size();

		// when
		JobExecution nextNight = run(manifest, LocalDate.of(2026, 2, 2), null);

		// then
		assertThat(nextNight.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(items(nextNight)).extracting(RunItem::disposition)
			.containsExactly(RunItem.Disposition.ALREADY_MIGRATED);
		assertThat(cloud.inspect().tasks()).hasSize(tasks);
		assertThat(cloud.migrated("IAD", "DFW", id)).hasSize(1);

		// when
		JobExecution forced = run(manifest, LocalDate.of(2026, 2, 2), "2026-02-02T10:00:00Z");

		// then
		assertThat(forced.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(cloud.migrated("IAD", "DFW", id)).hasSize(2);
	}

	@Test
	void aRunThatFailsWhenTheCloudFailsIsRestartedWithoutRepeatingWork() throws Exception {
		// given
		String a = cloud.seed("DFW", cloud.alice, "restart-a", SyntheticVhd.fixed(3 * TestCloud.MIB, 51));
		String b = cloud.seed("DFW", cloud.alice, "restart-b", SyntheticVhd.dynamic(8 * TestCloud.MIB, 52));
		Path manifest = cloud.manifest("restart.csv", a, b);
		Thread breaker = new Thread(() -> {
			while (cloud.tasksFor("export", b).isEmpty()) {
				Thread.onSpinWait();
			}
			cloud.cloud.faults(Faults.builder().errorRates(1.0, 0, 0).build());
		});
		breaker.start();

		// when
		JobExecution failed = run(manifest, LocalDate.of(2026, 3, 1), null);
		breaker.join();
		cloud.cloud.faults(Faults.none());
		JobExecution restarted = this.jobs.getJobOperator().restart(failed);

		// then
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getAllFailureExceptions()).isNotEmpty();
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(items(restarted)).extracting((i) -> i.image().state()).containsOnly(ImageState.MIGRATED);
		for (String id : List.of(a, b)) {
			assertThat(cloud.tasksFor("export", id)).hasSize(1);
			assertThat(cloud.tasksFor("import", id)).hasSize(1);
			assertThat(cloud.migrated("IAD", "DFW", id)).hasSize(1);
		}
	}

	static <T> T single(List<T> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

}

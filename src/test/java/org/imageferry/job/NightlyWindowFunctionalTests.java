package org.imageferry.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

import org.imageferry.ImageFerryApplication;
import org.imageferry.cli.Command;
import org.imageferry.cli.ExitCodes;
import org.imageferry.cli.FerryRunner;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nightly window (22:00 to 06:00 UTC) that closes mid-run, against the simulated cloud:
 * the command's clock is pinned by the test, which moves it to the window's end once
 * exports and imports are in flight and a copy is under way; the run ends STOPPED with
 * exit 3, and the same command in the next night's window — a day later — carries that
 * run on and finishes the work: one task of each kind per image, each segment sent once,
 * the bytes intact, one run with two executions.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class NightlyWindowFunctionalTests {

	/** 05:00 UTC: an hour before the window closes. */
	static final Instant NIGHT = Instant.parse("2026-08-03T05:00:00Z");

	@TempDir
	static Path dir;

	static TestCloud cloud;

	static final ShiftedClock time = new ShiftedClock();

	@TestBean
	Clock clock;

	@Autowired
	FerryRunner runner;

	@Autowired
	Ledger ledger;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	RouteConnector routes;

	static Clock clock() {
		return time;
	}

	@BeforeAll
	static void startCloud() throws Exception {
		cloud = new TestCloud(dir, TestCloud.defaults().taskLatency(Duration.ofMillis(1500), Duration.ofSeconds(3)));
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@DynamicPropertySource
	static void profile(DynamicPropertyRegistry registry) {
		TestCloud.profile(registry, () -> cloud, false, "DFW", "IAD");
		registry.add("image-ferry.tasks-in-flight-per-region", () -> "2");
		registry.add("image-ferry.segment-concurrency", () -> "1");
		registry.add("image-ferry.bandwidth-limit", () -> "2MB/s");
		registry.add("image-ferry.reports-dir", () -> dir.resolve("reports"));
		registry.add("image-ferry.window.start", () -> "22:00");
		registry.add("image-ferry.window.end", () -> "06:00");
		registry.add("image-ferry.window.zone", () -> "UTC");
		registry.add("image-ferry.window.drain", () -> "10m");
		// the next night's run is 23 hours on: the tasks left in flight must not time out
		registry.add("image-ferry.task-deadline", () -> "24h");
	}

	@Test
	void aWindowClosingMidRunStopsItWithExit3AndTheNextWindowsRunFinishesTheWork(CapturedOutput output)
			throws Exception {
		// given: a large image whose copy takes seconds at the cap, and small ones
		List<String> ids = new ArrayList<>();
		ids.add(cloud.seed("DFW", cloud.alice, "window-large", SyntheticVhd.fixed(10 * TestCloud.MIB, 90)));
		for (int i = 0; i < 6; i++) {
			ids.add(cloud.seed("DFW", cloud.alice, "window-" + i, SyntheticVhd.fixed(TestCloud.MIB, 91 + i)));
		}
		Path manifest = cloud.manifest("window.csv", ids.toArray(String[]::new));
		Path job = Files.writeString(dir.resolve("nightly.yml"), "image-ferry: {}\n");
		Command run = Command.parse(List.of("run", "--job", job.toString(), "--manifest", manifest.toString()));
		time.set(NIGHT);
		CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> this.runner.execute(run));
		String large = ids.get(0);
		awaitUntil(() -> inFlight("export", "DFW") && inFlight("import", "IAD") && copying(large), first);

		// when: the window closes
		time.set(Instant.parse("2026-08-03T06:00:01Z"));
		int closed = first.get();

		// then: stopped with what was in flight recorded, a copy stopped between segments
		assertThat(closed).as(output.getErr()).isEqualTo(ExitCodes.WINDOW_CLOSED);
		assertThat(output.getOut()).contains("STOPPED").containsPattern("window closed: \\d+ image\\(s\\) remain");
		Map<ImageState, List<ImageRecord>> states = ids.stream()
			.map(this::row)
			.collect(Collectors.groupingBy(ImageRecord::state));
		assertThat(states).containsKeys(ImageState.EXPORTING, ImageState.IMPORTING, ImageState.TRANSFERRING);
		ImageRecord stopped = row(large);
		assertThat(stopped.state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(stopped.segmentsDone()).isPositive().isLessThan(stopped.segments());
		assertThat(storedSegments(large)).hasSize(stopped.segmentsDone());

		// and when: the same command in the next night's window, on the next (UTC) day
		time.set(Instant.parse("2026-08-04T04:00:05Z"));
		int next = this.runner.execute(run);

		// then: it carried the run its window closed on, not a new day's run
		List<JobInstance> runs = this.jobRepository.getJobInstances(MigrationJobConfiguration.JOB, 0, 10);
		assertThat(runs).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(runs.get(0))).hasSize(2);
		assertThat(this.runner.execute(Command.parse(List.of("status", "--job", job.toString()))))
			.isEqualTo(ExitCodes.MIGRATED);
		assertThat(output.getOut()).containsPattern("STOPPED .*, then not running \\(window closed\\) ");

		// then: all migrated, nothing done twice, the bytes intact
		assertThat(next).as(output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		for (String id : ids) {
			assertThat(cloud.tasksFor("export", id)).as("exports of " + id).hasSize(1);
			assertThat(cloud.tasksFor("import", id)).as("imports of " + id).hasSize(1);
			List<Inspection.ImageView> migrated = cloud.migrated("IAD", "DFW", id);
			assertThat(migrated).hasSize(1);
			assertThat(cloud.inspect().imageMd5(migrated.get(0).id())).isEqualTo(cloud.inspect().imageMd5(id));
		}
		Map<String, Long> puts = segmentPuts();
		assertThat(puts).isNotEmpty();
		assertThat(puts).allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(1));
		assertThat(puts.keySet().stream().filter((path) -> path.contains(large))).hasSize(stopped.segments());
		try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
			Path json = reports.filter((f) -> f.toString().endsWith(".json")).findFirst().orElseThrow();
			assertThat(Files.readString(json)).containsPattern("\"after\" ?: ?\"window closed\"");
		}
	}

	ImageRecord row(String id) {
		return this.ledger.find(this.routes.route().key(), id).orElseThrow();
	}

	/** Whether a task of this type is in flight in the region. */
	static boolean inFlight(String type, String region) {
		return cloud.inspect()
			.tasks()
			.stream()
			.anyMatch((t) -> t.type().equals(type) && t.region().equals(region) && !t.status().equals("success")
					&& !t.status().equals("failure"));
	}

	/** Whether the image's copy has stored a segment and has more to copy. */
	boolean copying(String id) {
		ImageRecord row = row(id);
		return row.state() == ImageState.TRANSFERRING && row.segmentsDone() > 0 && row.segmentsDone() < row.segments();
	}

	static List<Inspection.ObjectView> storedSegments(String id) {
		return cloud.inspect()
			.objects("IAD", cloud.alice.tenantId())
			.stream()
			.filter((o) -> o.name().startsWith(id + ".vhd-"))
			.toList();
	}

	/** PUTs of segment objects in the target, by path, whatever their answer. */
	static Map<String, Long> segmentPuts() {
		return cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("PUT") && r.region().equals("IAD") && r.path().contains(".vhd-"))
			.collect(Collectors.groupingBy(Inspection.RequestView::path, Collectors.counting()));
	}

	static void awaitUntil(java.util.function.BooleanSupplier condition, CompletableFuture<Integer> run)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(run).as("the run ended before the window closed").isNotDone();
			assertThat(System.nanoTime()).as("exports and imports in flight and a copy under way").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** The system clock, shifted to an instant the test sets; it runs on from there. */
	static final class ShiftedClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void set(Instant now) {
			this.offset = Duration.between(Instant.now(), now);
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}

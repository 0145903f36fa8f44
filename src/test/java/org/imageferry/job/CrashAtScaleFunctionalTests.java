package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run of 50 images, killed with SIGKILL at a dozen distinct points of its life — while
 * creating export tasks, while polling, in the middle of a segment's upload, between two
 * segments, right after the target manifest, while creating import tasks, while finishing
 * and while cleaning up — and started again with the same command each time. Each point
 * is an event the simulator records, watched from this JVM while the child runs; every
 * start is killed at the first point not yet hit that it reaches. In the end every image
 * is migrated exactly once and nothing is left in either container.
 */
class CrashAtScaleFunctionalTests {

	private static final int IMAGES = 50;

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	private static final Pattern SEGMENT = Pattern.compile("/IAD/v1/[^/]+/imports/(.+\\.vhd)-(\\d+)$");

	@TempDir
	Path dir;

	TestCloud cloud;

	ChildFerry child;

	@BeforeEach
	void startCloud() throws IOException {
		this.cloud = new TestCloud(this.dir,
				TestCloud.defaults().taskLatency(Duration.ofMillis(400), Duration.ofMillis(400)));
		// a dozen starts: the child JVM only compiles with C1, which halves its start-up
		this.child = new ChildFerry(this.dir, this.cloud.alice, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	@Test
	void aRunOfFiftyImagesKilledAtADozenPointsMigratesEveryImageExactlyOnce() throws Exception {
		// given
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < IMAGES; i++) {
			ids.add(this.cloud.seed("DFW", this.cloud.alice, "scale-" + i,
					(i % 2 == 0) ? SyntheticVhd.fixed((1 + i % 5) * TestCloud.MIB, 200 + i)
							: SyntheticVhd.dynamic((8 + 8 * (i % 3)) * TestCloud.MIB, 200 + i, 0.25)));
		}
		Path manifest = this.cloud.manifest("scale.csv", ids.toArray(String[]::new));
		Path job = JobProfile.write(this.dir.resolve("scale.yml"), this.cloud.cloud.identityUrl(), this.dir, """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				tasks-in-flight-per-region: 8
				transfer-concurrency: 2
				poll-interval: 100ms
				retry-delay: 20ms
				consistency-wait: 5s
				""");
		Map<String, Predicate<Since>> points = killPoints();

		// when
		List<String> hit = new ArrayList<>();
		Process run = null;
		while (!points.isEmpty()) {
			run = this.child.run(job, manifest);
			String point = await(points, new Since(this.cloud.inspect()), run);
			if (point == null) {
				break;
			}
			run.destroyForcibly().waitFor();
			if (run.exitValue() == 137) {
				hit.add(point);
				points.remove(point);
			}
			run = null;
		}
		if (run == null) {
			run = this.child.run(job, manifest);
		}
		boolean ended = run.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then
		assertThat(ended).as("the last run ends").isTrue();
		assertThat(run.exitValue()).as(this.child.log()).isZero();
		assertThat(hit).as("kill points hit, in order").doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(10);
		Inspection inspection = this.cloud.inspect();
		for (String id : ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(inspection.imageMd5(target)).as("bytes of " + id + "'s copy").isEqualTo(inspection.imageMd5(id));
		}
		assertThat(inspection.images().stream().filter((i) -> i.region().equals("IAD"))).hasSize(IMAGES);
		assertThat(this.cloud.objects("DFW", this.cloud.alice)).as("objects left in the source").isEmpty();
		assertThat(this.cloud.objects("IAD", this.cloud.alice)).as("objects left in the target").isEmpty();
	}

	/**
	 * The points, each an event the simulator recorded since the child started; when
	 * several are reached at once, the first listed wins.
	 */
	private Map<String, Predicate<Since>> killPoints() {
		Map<String, Predicate<Since>> points = new LinkedHashMap<>();
		points.put("while creating the first export task", (s) -> s.created("DFW") >= 1 && s.exportsAtStart == 0);
		points.put("while creating the 20th export task",
				(s) -> s.created("DFW") >= 1 && s.exportsAtStart + s.created("DFW") >= 20);
		points.put("while creating the 40th export task",
				(s) -> s.created("DFW") >= 1 && s.exportsAtStart + s.created("DFW") >= 40);
		points.put("while polling export tasks", (s) -> s.polled("DFW") && s.unfinished("export"));
		points.put("mid-segment",
				(s) -> s.uploading().stream().anyMatch((o) -> o.matches("IAD/.*/imports/.*\\.vhd-\\d+")));
		points.put("between segments", Since::betweenSegments);
		points.put("right after writing the target manifest",
				(s) -> s.requests()
					.stream()
					.anyMatch((r) -> r.method().equals("PUT") && r.status() == 201 && r.region().equals("IAD")
							&& r.path().endsWith(".vhd")));
		points.put("while creating the first import task", (s) -> s.created("IAD") >= 1 && s.importsAtStart == 0);
		points.put("while creating the 25th import task",
				(s) -> s.created("IAD") >= 1 && s.importsAtStart + s.created("IAD") >= 25);
		points.put("while polling import tasks", (s) -> s.polled("IAD") && s.unfinished("import"));
		points.put("during finalize (PATCH)",
				(s) -> s.requests().stream().anyMatch((r) -> r.method().equals("PATCH") && r.region().equals("IAD")));
		points.put("during clean-up in the source (DELETE)", (s) -> s.deleted("DFW"));
		points.put("during clean-up in the target (DELETE)", (s) -> s.deleted("IAD"));
		return points;
	}

	/**
	 * Watches the simulator every millisecond until one of the points is reached (its
	 * name) or the run ends first (null).
	 */
	private String await(Map<String, Predicate<Since>> points, Since since, Process run) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline && run.isAlive()) {
			since.refresh();
			for (Map.Entry<String, Predicate<Since>> point : points.entrySet()) {
				if (point.getValue().test(since)) {
					return point.getKey();
				}
			}
			LockSupport.parkNanos(1_000_000);
		}
		return null;
	}

	/** What the simulator recorded since a child started. */
	private final class Since {

		private final Inspection inspection;

		private final int firstRequest;

		private final long exportsAtStart;

		private final long importsAtStart;

		private List<Inspection.RequestView> requests = List.of();

		/** Read only when asked for, at most once a refresh. */
		private List<Inspection.TaskView> tasks;

		private Set<String> uploading = Set.of();

		private int lastSegmentPut = -1;

		private List<String> laterMissing = List.of();

		Since(Inspection inspection) {
			this.inspection = inspection;
			this.firstRequest = inspection.requests().size();
			this.exportsAtStart = inspection.tasks().stream().filter((t) -> t.type().equals("export")).count();
			this.importsAtStart = inspection.tasks().stream().filter((t) -> t.type().equals("import")).count();
		}

		void refresh() {
			this.uploading = this.inspection.uploadsInProgress();
			List<Inspection.RequestView> all = this.inspection.requests();
			this.requests = all.subList(this.firstRequest, all.size());
			this.tasks = null;
		}

		List<Inspection.RequestView> requests() {
			return this.requests;
		}

		Set<String> uploading() {
			return this.uploading;
		}

		/** Tasks created in a region (by a POST answered 201) since the start. */
		long created(String region) {
			return this.requests.stream()
				.filter((r) -> r.method().equals("POST") && r.status() == 201 && r.region().equals(region)
						&& r.path().endsWith("/v2/tasks"))
				.count();
		}

		boolean unfinished(String type) {
			if (this.tasks == null) {
				this.tasks = this.inspection.tasks();
			}
			return this.tasks.stream()
				.anyMatch((t) -> t.type().equals(type)
						&& (t.status().equals("pending") || t.status().equals("processing")));
		}

		boolean polled(String region) {
			return this.requests.stream()
				.anyMatch(
						(r) -> r.method().equals("GET") && r.region().equals(region) && r.path().endsWith("/v2/tasks"));
		}

		boolean deleted(String region) {
			return this.requests.stream()
				.anyMatch((r) -> r.method().equals("DELETE") && r.status() < 300 && r.region().equals(region));
		}

		/**
		 * A segment was stored in the target, and a later segment of its image, which the
		 * source has, is neither there nor being uploaded: a copy is between two segments
		 * (with two segments of an image copied at a time, the other may be mid-way).
		 */
		boolean betweenSegments() {
			for (int i = this.requests.size() - 1; i >= 0; i--) {
				Inspection.RequestView r = this.requests.get(i);
				Matcher segment = SEGMENT.matcher(r.path());
				if (r.method().equals("PUT") && r.status() == 201 && segment.find()) {
					if (i != this.lastSegmentPut) {
						this.lastSegmentPut = i;
						this.laterMissing = laterSegmentsMissing(segment.group(1), Integer.parseInt(segment.group(2)));
					}
					return this.laterMissing.stream()
						.anyMatch((name) -> this.uploading.stream().noneMatch((o) -> o.endsWith("/imports/" + name)));
				}
			}
			return false;
		}

		/** Segments after {@code number} that the source has and the target has not. */
		private List<String> laterSegmentsMissing(String object, int number) {
			String tenant = CrashAtScaleFunctionalTests.this.cloud.alice.tenantId();
			Set<String> stored = this.inspection.objects("IAD", tenant)
				.stream()
				.filter((o) -> o.container().equals("imports"))
				.map(Inspection.ObjectView::name)
				.collect(Collectors.toSet());
			return this.inspection.objects("DFW", tenant)
				.stream()
				.filter((o) -> o.container().equals("exports") && o.name().startsWith(object + "-"))
				.map(Inspection.ObjectView::name)
				.filter((name) -> Integer.parseInt(name.substring(object.length() + 1)) > number)
				.filter((name) -> !stored.contains(name))
				.toList();
		}

	}

}

package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.cli.ExitCodes;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clean-up against Cloud Files as Rackspace documents it and a plain Swift has it, on the
 * command line: without bulk delete and with 100 writes a second per container, a run
 * leaves no exported object behind and migrates every image; and where deletes keep
 * failing, the image is migrated all the same, what is left is listed by {@code status}
 * and the report, and the same command again deletes it.
 */
@ExtendWith(OutputCaptureExtension.class)
class CleanupFunctionalTests {

	@TempDir
	static Path dir;

	static TestCloud cloud;

	/** The cloud's clock: stopped, a container at its write limit stays there. */
	static final StoppableClock clock = new StoppableClock();

	CapturedOutput output;

	@BeforeAll
	static void startCloud() throws Exception {
		cloud = new TestCloud(dir, TestCloud.defaults().clock(clock));
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	@Test
	void withoutBulkDeleteAndAtAHundredWritesASecondNothingIsLeftBehind() throws Exception {
		// given: a Swift without bulk delete, 24 images of 3 segments: 96 objects a side
		cloud.cloud.rules(Rules.builder().bulkDelete(false).containerWritesPerSecond(100).build());
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			ids.add(cloud.seed("DFW", cloud.alice, "strict-" + i, SyntheticVhd.fixed(3 * TestCloud.MIB - 512, 70 + i)));
		}
		Path manifest = cloud.manifest("strict.csv", ids.toArray(String[]::new));
		Path job = job("strict", "exports", "imports", 5);

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then
		assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		for (String id : ids) {
			assertThat(cloud.migrated("IAD", "DFW", id)).as("target image of " + id).hasSize(1);
		}
		assertThat(cloud.objects("DFW", cloud.alice)).as("exports left in DFW")
			.noneMatch((o) -> o.startsWith("exports/"));
		assertThat(cloud.objects("IAD", cloud.alice)).as("copies left in IAD")
			.noneMatch((o) -> o.startsWith("imports/"));
		List<Inspection.RequestView> deletes = cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("DELETE"))
			.toList();
		assertThat(deletes).as("bulk deletes").noneMatch((r) -> r.path().endsWith("/v1/" + storageAccount()));
		assertThat(deletes).filteredOn((r) -> r.path().matches(".*/(exports|imports)/.*") && r.status() == 204)
			.hasSize(2 * 24 * 4);
		assertThat(status(job)).doesNotContain("left behind");
	}

	@Test
	void deletesThatKeepFailingLeaveTheImageMigratedWithItsLeftoversAndTheSameCommandDeletesThem() throws Exception {
		// given: the cloud's clock stopped, each container takes four writes: the exports
		// container's go to an operator's own objects, the imports container's to the
		// copy's three segments and manifest; from then on every DELETE is 429
		String id = cloud.seed("DFW", cloud.alice, "stuck", SyntheticVhd.fixed(3 * TestCloud.MIB - 512, 99));
		Path manifest = cloud.manifest("stuck.csv", id);
		Path job = job("stuck", "exports-stuck", "imports-stuck", 1);
		List<String> kept = List.of("kept-1", "kept-2", "kept-3", "kept-4");
		clock.stop();
		try {
			cloud.cloud.rules(Rules.builder().bulkDelete(false).containerWritesPerSecond(4).build());
			cloud.cloud.createContainer("DFW", cloud.alice.tenantId(), "exports-stuck");
			for (String name : kept) {
				cloud.putOwnObject("DFW", "exports-stuck", name);
			}

			// when
			int first = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

			// then: migrated, with 8 objects left
			assertThat(first).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
			assertThat(cloud.migrated("IAD", "DFW", id)).hasSize(1);
			assertThat(puts("IAD", "imports-stuck")).as("the copy's writes").isEqualTo(4);
			assertThat(this.output.getErr()).contains("clean-up left 8 exported objects");
			List<String> leftovers = new ArrayList<>();
			leftovers.add("source DFW exports-stuck/" + id + ".vhd");
			leftovers.add("target IAD imports-stuck/" + id + ".vhd");
			for (int segment = 1; segment <= 3; segment++) {
				leftovers.add("source DFW exports-stuck/" + id + ".vhd-0000" + segment);
				leftovers.add("target IAD imports-stuck/" + id + ".vhd-0000" + segment);
			}
			String status = status(job);
			assertThat(status).containsPattern(id + "\\s+iad\\s+migrated\\s+[0-9a-f-]{36}")
				.contains("left behind by clean-up (the next run deletes them): 8 objects of 1 images");
			assertThat(status.lines().map(String::strip)).containsAll(leftovers);
			assertThat(report("stuck")).containsPattern(id + ",migrated,[0-9a-f-]{36},.*,\"?source DFW exports-stuck/"
					+ id + "\\.vhd; .*target IAD imports-stuck/" + id + "\\.vhd-00003\"?,iad\r\n");
			assertThat(cloud.objects("DFW", cloud.alice)).filteredOn((o) -> o.contains(id)).hasSize(4);
			assertThat(cloud.objects("IAD", cloud.alice)).filteredOn((o) -> o.contains(id)).hasSize(4);
		}
		finally {
			clock.start();
		}

		// when: time goes on, and the same command is run again
		int again = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then: the leftovers are gone, the operator's objects stay, nothing migrated
		// twice
		assertThat(again).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(cloud.objects("DFW", cloud.alice)).noneMatch((o) -> o.contains(id))
			.containsAll(kept.stream().map((name) -> "exports-stuck/" + name).toList());
		assertThat(cloud.objects("IAD", cloud.alice)).noneMatch((o) -> o.contains(id));
		assertThat(cloud.tasksFor("export", id)).hasSize(1);
		assertThat(cloud.tasksFor("import", id)).hasSize(1);
		assertThat(status(job)).contains(id).doesNotContain("left behind");
		assertThat(report("stuck")).containsPattern(id + ",migrated,[0-9a-f-]{36},.*,,iad\r\n");
	}

	/** Runs {@code status}; answers what it printed. */
	private String status(Path job) {
		int from = this.output.getOut().length();
		assertThat(ImageFerryApplication.run("status", "--job", job.toString())).isEqualTo(ExitCodes.MIGRATED);
		return this.output.getOut().substring(from);
	}

	/** The CSV report of a job's run (one run a job here). */
	private static String report(String job) throws IOException {
		try (Stream<Path> files = Files.list(dir.resolve(job).resolve("reports"))) {
			return Files.readString(files.filter((f) -> f.toString().endsWith(".csv")).findFirst().orElseThrow());
		}
	}

	private static Path job(String name, String exports, String imports, int retries) throws IOException {
		return JobProfile.write(dir.resolve(name + ".yml"), cloud.cloud.identityUrl(), dir.resolve(name), """
				credentials-file: %s
				source: { region: DFW, container: %s }
				target: { region: IAD, container: %s }
				poll-interval: 100ms
				retries: %d
				retry-delay: 10ms
				consistency-wait: 5s
				""".formatted(cloud.credentials(cloud.alice, cloud.alice), exports, imports, retries));
	}

	private static String storageAccount() {
		String url = cloud.cloud.filesUrl("DFW", cloud.alice.tenantId(), false);
		return url.substring(url.lastIndexOf('/') + 1);
	}

	/** Object PUTs the container answered 201. */
	private static long puts(String region, String container) {
		return cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("PUT") && r.status() == 201 && r.region().equals(region))
			.filter((r) -> r.path().contains("/" + container + "/"))
			.count();
	}

	/** The system clock, which a test can stop at an instant and start again. */
	static final class StoppableClock extends Clock {

		private volatile Instant stoppedAt;

		void stop() {
			this.stoppedAt = Instant.now();
		}

		void start() {
			this.stoppedAt = null;
		}

		@Override
		public Instant instant() {
			Instant stopped = this.stoppedAt;
			return (stopped != null) ? stopped : Instant.now();
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

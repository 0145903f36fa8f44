package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.ingest.Provenance;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as an operator meets it: outcome table on standard output, one plain
 * message on standard error (never a stack trace), and the documented exit code.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandLineFunctionalTests {

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Path job;

	CapturedOutput output;

	@BeforeAll
	static void start() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build());
		Account alice = cloud.config().accounts().get(0);
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=alice\napi-key=" + alice.apiKey() + "\n");
		job = JobProfile.write(dir.resolve("cli.yml"), cloud.identityUrl(), dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 100ms
				retry-delay: 10ms
				""".formatted(credentials));
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	String stdout() {
		return this.output.getOut();
	}

	String stderr() {
		return this.output.getErr();
	}

	String image(String name) {
		return cloud.addImage(ImageSeed.of("DFW", "100001", name, SyntheticVhd.fixed(1024 * 1024, name.hashCode())));
	}

	Path manifest(String name, String body) throws Exception {
		return Files.writeString(dir.resolve(name), body);
	}

	@Test
	void allMigratedExitsZeroWithTheOutcomeTable() throws Exception {
		// given
		String id = image("cli-ok");
		Path manifest = manifest("ok.csv", "image_id\n" + id + "\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then
		assertThat(code).as(stderr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(stdout()).contains(id).contains("migrated").contains("1 migrated").contains("reports: ");
	}

	@Test
	void reportRewritesTheLatestRunsReportFiles() throws Exception {
		// given
		Path manifest = manifest("report.csv", "image_id\n" + image("cli-report") + "\n");
		ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
		Path reports = dir.resolve("reports");
		try (var files = Files.list(reports)) {
			files.filter((f) -> f.toString().endsWith(".html")).forEach((f) -> f.toFile().delete());
		}

		// when
		int code = ImageFerryApplication.run("report", "--job", job.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.MIGRATED);
		try (var files = Files.list(reports)) {
			assertThat(files.filter((f) -> f.toString().endsWith(".html"))).isNotEmpty();
		}
	}

	@Test
	void someFailedExitsTwoAndExplainsEachFailure() throws Exception {
		// given
		String id = image("cli-good");
		Path manifest = manifest("partial.csv", "image_id\n" + id + "\nnot-a-uuid\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
		assertThat(stdout()).contains("invalid line").contains("image_id 'not-a-uuid' is not a UUID");
	}

	@Test
	void strictRefusesABadManifestBeforeAnyTaskWithExit65() throws Exception {
		// given
		String id = image("cli-strict");
		Path manifest = manifest("strict.csv", "image_id\n" + id + "\n" + id + "\n");
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString(),
				"--strict");

		// then
		assertThat(code).isEqualTo(ExitCodes.MANIFEST_REFUSED);
		assertThat(stderr()).contains("line 3: duplicate of line 2")
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
		assertThat(cloud.inspect().tasks()).hasSize(tasks);
	}

	@Test
	void usageErrorsExit64WithTheUsage() {
		// when
		int code = ImageFerryApplication.run("run", "--manifest", "x.csv", "--bogus");

		// then
		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(stderr()).contains("run takes no option '--bogus'").contains("usage: image-ferry");
	}

	@Test
	void aMissingManifestIsRefusedPlainly() {
		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest",
				dir.resolve("absent.csv").toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.MANIFEST_REFUSED);
		assertThat(stderr()).contains("absent.csv does not exist").doesNotContain("\tat ");
	}

	@Test
	void anUnknownRegionIsAConfigurationErrorBeforeAnyTask() throws Exception {
		// given
		Path badJob = Files.writeString(dir.resolve("bad.yml"),
				Files.readString(job).replace("region: IAD", "region: XYZ"));
		Path manifest = manifest("region.csv", "image_id\n" + image("cli-region") + "\n");
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", badJob.toString(), "--manifest", manifest.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(stderr()).contains("region XYZ is not in the catalog").contains("[DFW, IAD, ORD]");
		assertThat(cloud.inspect().tasks()).hasSize(tasks);
	}

	@Test
	void aDryRunPrintsThePlanInManifestOrderWithSizesAndTotalsAndCreatesNothing() throws Exception {
		// given
		String id = image("cli-dry");
		String notMine = cloud.addImage(ImageSeed.of("DFW", "100002", "bobs", SyntheticVhd.fixed(1024 * 1024, 7)));
		String done = image("cli-dry-done");
		String copy = cloud.addImage(ImageSeed.of("IAD", "100001", "cli-dry-done", SyntheticVhd.fixed(1024 * 1024, 8))
			.withMetadata(20, 512, List.of(), Map.of(Provenance.PROPERTY, Provenance.value("DFW", done))));
		Path manifest = manifest("dry.csv", "image_id\n" + id + "\nnot-a-uuid\n" + notMine + "\n" + done + "\n");
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString(),
				"--dry-run");

		// then
		assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
		List<String> rows = stdout().lines().dropWhile((l) -> !l.contains("source image")).skip(1).limit(4).toList();
		assertThat(rows).satisfiesExactly(
				(row) -> assertThat(row).startsWith("    2  " + id).contains("   1.0 MiB  migrate"),
				(row) -> assertThat(row).startsWith("    3  not-a-uuid").contains("fail MANIFEST"),
				(row) -> assertThat(row).startsWith("    4  " + notMine).contains("fail NOT_FOUND"),
				(row) -> assertThat(row).startsWith("    5  " + done).contains("skip").contains("as " + copy));
		assertThat(stdout())
			.contains("total: 4 line(s); 1 would migrate, 1.0 MiB to copy (1,049,088 bytes); 1 skip; 2 fail")
			.contains("nothing was created");
		assertThat(cloud.inspect().tasks()).hasSize(tasks);
	}

	@Test
	void aCredentialsFileOthersCanReadIsWarnedAboutOncePerCommand() throws Exception {
		// given
		Path shared = Files.writeString(dir.resolve("shared-credentials"),
				Files.readString(dir.resolve("credentials")));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
		Path sharedJob = Files.writeString(dir.resolve("shared.yml"), Files.readString(job)
			.replace("credentials-file: " + dir.resolve("credentials"), "credentials-file: " + shared));
		Path manifest = manifest("shared.csv", "image_id\n" + image("cli-shared") + "\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", sharedJob.toString(), "--manifest", manifest.toString());

		// then
		assertThat(code).as(stderr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(this.output.getAll().split("is readable by others", -1)).hasSize(2);
		assertThat(this.output.getAll()).contains("chmod 600 " + shared);
	}

	@Test
	void aRunStoppedFromAnotherCommandEndsStoppedAndRestartResumesIt() throws Exception {
		// given
		Path slow = Files.writeString(dir.resolve("slow.yml"), Files.readString(job) + "  progress-interval: 100ms\n");
		String first = image("cli-stop-1");
		String second = image("cli-stop-2");
		Path manifest = manifest("stop.csv", "image_id\n" + first + "\n" + second + "\n");
		// exports that take long enough for the stop command's own start-up, however slow
		// the machine: the run must still be in progress when the stop arrives
		Rules rules = cloud.rules();
		cloud.rules(rules.toBuilder().exportLatency(Duration.ofSeconds(8)).build());
		java.util.concurrent.CompletableFuture<Integer> running = java.util.concurrent.CompletableFuture.supplyAsync(
				() -> ImageFerryApplication.run("run", "--job", slow.toString(), "--manifest", manifest.toString()));
		while (cloud.inspect().tasks().stream().noneMatch((t) -> t.input().toString().contains(second))) {
			Thread.sleep(20);
		}

		// when
		int stop = ImageFerryApplication.run("stop", "--job", slow.toString());
		int stopped = running.get();
		cloud.rules(rules);
		int status = ImageFerryApplication.run("status", "--job", slow.toString());
		int restart = ImageFerryApplication.run("restart", "--job", slow.toString());

		// then
		assertThat(stop).as(stderr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(stopped).isEqualTo(ExitCodes.RUN_FAILED);
		assertThat(status).isEqualTo(ExitCodes.MIGRATED);
		assertThat(restart).as(stderr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(stdout()).contains("STOPPED").contains("progress: ").contains("2 migrated");
		assertThat(stderr()).contains("the run was stopped; `restart` resumes it");
		assertThat(cloud.inspect().tasks().stream().filter((t) -> t.input().toString().contains(second))).hasSize(2);
	}

	@Test
	void anotherRunHoldingTheLockExits75() throws Exception {
		// given
		Path manifest = manifest("locked.csv", "image_id\n" + image("cli-locked") + "\n");
		try (RunLock.Held held = new DirectoryLock(dir.resolve("data")).tryAcquire()) {
			assertThat(held).isNotNull();

			// when
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

			// then
			assertThat(code).isEqualTo(ExitCodes.LOCKED);
			assertThat(stderr()).contains("another image-ferry run holds the lock");
		}
	}

}

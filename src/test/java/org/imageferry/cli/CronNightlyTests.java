package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/cron-nightly}'s guarantees: a usage error is 64; a night's run never
 * overlaps the previous one — while another holds the lock it exits 75 at once and says
 * so in the dated log; and relative paths are read from the caller's directory although
 * the script runs from image-ferry's.
 */
class CronNightlyTests {

	@TempDir
	Path logs;

	private Process script(String... args) throws Exception {
		String[] command = new String[args.length + 2];
		command[0] = "bash";
		command[1] = Path.of("scripts", "cron-nightly").toAbsolutePath().toString();
		System.arraycopy(args, 0, command, 2, args.length);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("LOG_DIR", this.logs.toString());
		return builder.start();
	}

	/**
	 * Lays {@code home} out as image-ferry's: the real {@code scripts/cron-nightly}, and
	 * a {@code scripts/migrate} that starts the real command line from the test classpath
	 * (the real one would build the jar).
	 */
	private static Path installScripts(Path home) throws Exception {
		Path scripts = Files.createDirectories(home.resolve("scripts"));
		Files.copy(Path.of("scripts", "cron-nightly"), scripts.resolve("cron-nightly"));
		Files.writeString(scripts.resolve("migrate"),
				"#!/usr/bin/env bash\nexec '%s' -cp '%s' %s \"$@\"\n".formatted(
						Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path"),
						ImageFerryApplication.class.getName()));
		scripts.resolve("migrate").toFile().setExecutable(true);
		return scripts;
	}

	@Test
	void withoutArgumentsItIsAUsageError() throws Exception {
		// when
		Process process = script();

		// then
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isEqualTo(ExitCodes.USAGE);
		assertThat(new String(process.getInputStream().readAllBytes())).contains("usage: scripts/cron-nightly");
	}

	/**
	 * The script, in a directory laid out as image-ferry's, is started from another
	 * directory, with the profile, the manifest and LOG_DIR given relative to that one.
	 */
	@Test
	void relativePathsAreReadFromTheCallersDirectory(@TempDir Path home, @TempDir Path caller) throws Exception {
		// given
		Path scripts = installScripts(home);
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder().build())) {
			Account alice = cloud.config().accounts().get(0);
			String image = cloud
				.addImage(ImageSeed.of("DFW", alice.tenantId(), "nightly-1", SyntheticVhd.fixed(1024 * 1024, 1)));
			JobProfile.write(Files.createDirectories(caller.resolve("jobs")).resolve("nightly.yml"),
					cloud.identityUrl(), caller, """
							source: { region: DFW, container: exports }
							target: { region: IAD, container: imports }
							""");
			Files.writeString(caller.resolve("images.csv"), "image_id\n" + image + "\n");
			ProcessBuilder builder = new ProcessBuilder("bash", scripts.resolve("cron-nightly").toString(),
					"jobs/nightly.yml", "images.csv", "--dry-run")
				.directory(caller.toFile())
				.redirectErrorStream(true);
			builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
			builder.environment().put("RAX_USERNAME", alice.username());
			builder.environment().put("RAX_API_KEY", alice.apiKey());
			builder.environment().put("LOG_DIR", "nightly-logs");

			// when
			Process process = builder.start();

			// then
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
			Path log = caller.resolve("nightly-logs/nightly-" + LocalDate.now(ZoneOffset.UTC) + ".log");
			assertThat(Files.exists(log)).as(new String(process.getInputStream().readAllBytes())).isTrue();
			assertThat(process.exitValue()).as(Files.readString(log)).isEqualTo(ExitCodes.MIGRATED);
			assertThat(Files.readString(log))
				.contains("nightly run of nightly: " + caller.toRealPath().resolve("images.csv"))
				.contains(image)
				.contains("migrate")
				.contains("dry run: nothing was created");
			assertThat(home.resolve("nightly-logs")).doesNotExist();
		}
	}

	@Test
	void aRunStartedWhileAnotherHoldsTheLockExits75AndLogsWhy() throws Exception {
		// given
		Path lock = this.logs.resolve(".nightly.lock");
		Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "30").start();
		while (!Files.exists(lock)) {
			Thread.sleep(10);
		}
		Thread.sleep(200);

		// when
		Process process = script("jobs/nightly.yml", "images.csv");

		// then
		try {
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isEqualTo(ExitCodes.LOCKED);
			Path log = this.logs.resolve("nightly-" + LocalDate.now(ZoneOffset.UTC) + ".log");
			assertThat(Files.readString(log)).contains("another nightly run of nightly is still running");
		}
		finally {
			holder.destroyForcibly();
		}
	}

	/**
	 * The real command line, started outside its profile's window (which opens in two
	 * hours), exits 3: the script logs it and counts it as success, as it does a window
	 * that closed with work left.
	 */
	@Test
	void aWindowClosedExitIsLoggedAndCountedAsSuccess(@TempDir Path home, @TempDir Path caller) throws Exception {
		// given
		Path scripts = installScripts(home);
		LocalTime now = LocalTime.now(ZoneOffset.UTC);
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder().build())) {
			Account alice = cloud.config().accounts().get(0);
			String image = cloud
				.addImage(ImageSeed.of("DFW", alice.tenantId(), "nightly-w", SyntheticVhd.fixed(1024 * 1024, 1)));
			Path job = JobProfile.write(caller.resolve("nightly.yml"), cloud.identityUrl(), caller, """
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					window: { start: "%s", end: "%s", zone: UTC, drain: 1m }
					""".formatted(now.plusHours(2).withSecond(0).withNano(0),
					now.plusHours(3).withSecond(0).withNano(0)));
			Path manifest = Files.writeString(caller.resolve("images.csv"), "image_id\n" + image + "\n");
			ProcessBuilder builder = new ProcessBuilder("bash", scripts.resolve("cron-nightly").toString(),
					job.toString(), manifest.toString())
				.redirectErrorStream(true);
			builder.environment().put("RAX_USERNAME", alice.username());
			builder.environment().put("RAX_API_KEY", alice.apiKey());
			builder.environment().put("LOG_DIR", this.logs.toString());

			// when
			Process process = builder.start();

			// then
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
			Path log = this.logs.resolve("nightly-" + LocalDate.now(ZoneOffset.UTC) + ".log");
			assertThat(process.exitValue()).as(Files.readString(log)).isEqualTo(ExitCodes.MIGRATED);
			assertThat(Files.readString(log)).contains("outside the window")
				.contains("exit 3")
				.contains("the window closed with work left; the next night's run carries on");
			assertThat(cloud.inspect().tasks()).isEmpty();
		}
	}

}

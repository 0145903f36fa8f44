package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/cron-nightly}'s guarantees that need no cloud: a usage error is 64, and
 * a night's run never overlaps the previous one — while another holds the lock it exits
 * 75 at once and says so in the dated log.
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

	@Test
	void withoutArgumentsItIsAUsageError() throws Exception {
		// when
		Process process = script();

		// then
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isEqualTo(ExitCodes.USAGE);
		assertThat(new String(process.getInputStream().readAllBytes())).contains("usage: scripts/cron-nightly");
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

}

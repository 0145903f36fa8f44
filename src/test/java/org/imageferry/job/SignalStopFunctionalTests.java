package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals to the command line in a real child process: SIGINT (Ctrl-C) and SIGTERM
 * (systemd's stop) end the run STOPPED as {@code stop} does — exit 1, the resume hint —
 * and {@code restart} completes it with no task repeated; {@code status} tells a run in
 * progress from one whose process was killed.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignalStopFunctionalTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@TempDir
	Path dir;

	TestCloud cloud;

	ChildFerry child;

	Path job;

	Path manifest;

	List<String> ids = new ArrayList<>();

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	/**
	 * A run of four images, one task in flight per region: two task latencies per image
	 * at least.
	 */
	void start(Duration taskLatency) throws IOException {
		this.cloud = new TestCloud(this.dir, TestCloud.defaults().taskLatency(taskLatency, taskLatency));
		this.child = new ChildFerry(this.dir, this.cloud.alice);
		for (int i = 0; i < 4; i++) {
			this.ids.add(this.cloud.seed("DFW", this.cloud.alice, "signal-" + i,
					SyntheticVhd.fixed((2 + i) * TestCloud.MIB, 200 + i)));
		}
		this.manifest = this.cloud.manifest("signal.csv", this.ids.toArray(String[]::new));
		this.job = JobProfile.write(this.dir.resolve("signal.yml"), this.cloud.cloud.identityUrl(), this.dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				tasks-in-flight-per-region: 1
				transfer-concurrency: 1
				poll-interval: 100ms
				retry-delay: 20ms
				""".formatted(this.cloud.credentials(this.cloud.alice, this.cloud.alice)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "INT", "TERM" })
	void aSignalStopsTheRunAsStopDoesAndRestartCompletesIt(String signal) throws Exception {
		// given
		start(Duration.ofMillis(800));
		Process run = this.child.run(this.job, this.manifest);
		assertThat(await(() -> !this.cloud.inspect().tasks().isEmpty(), run)).as(this.child.log()).isTrue();

		// when
		kill(run, signal);
		boolean stopped = run.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		int tasksWhenStopped = this.cloud.inspect().tasks().size();
		Process restart = this.child.start("restart", "--job", this.job.toString());
		boolean restarted = restart.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then
		assertThat(stopped).as(this.child.log()).isTrue();
		assertThat(run.exitValue()).as(this.child.log()).isEqualTo(1);
		assertThat(this.child.log(0))
			.contains(signal.equals("INT")
					? "image-ferry: stopping after the current cycle... press Ctrl-C again to quit at once"
					: "image-ferry: SIGTERM: stopping after the current cycle...")
			.containsPattern("run \\d+, execution \\d+: STOPPED")
			.contains("image-ferry: the run was stopped; `restart` resumes it");
		assertThat(tasksWhenStopped).as("tasks created before the stop").isLessThan(2 * this.ids.size());
		assertThat(restarted).as(this.child.log()).isTrue();
		assertThat(restart.exitValue()).as(this.child.log()).isZero();
		assertThat(this.child.log(1)).containsPattern("run \\d+, execution \\d+: COMPLETED");
		for (String id : this.ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
		}
	}

	@Test
	void aSecondCtrlCQuitsAtOnceAndRestartRecoversTheRun() throws Exception {
		// given
		start(Duration.ofMillis(800));
		Process run = this.child.run(this.job, this.manifest);
		assertThat(await(() -> !this.cloud.inspect().tasks().isEmpty(), run)).as(this.child.log()).isTrue();

		// when
		kill(run, "INT");
		kill(run, "INT");
		boolean quit = run.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		Process restart = this.child.start("restart", "--job", this.job.toString());
		boolean restarted = restart.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then
		assertThat(quit).as(this.child.log()).isTrue();
		assertThat(run.exitValue()).as(this.child.log()).isEqualTo(130);
		assertThat(this.child.log(0)).contains("image-ferry: quitting at once; `restart` resumes the run")
			.doesNotContain("STOPPED");
		assertThat(restarted).as(this.child.log()).isTrue();
		assertThat(restart.exitValue()).as(this.child.log()).isZero();
		assertThat(this.child.log(1)).contains("recovering it");
		for (String id : this.ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
		}
	}

	@Test
	void statusTellsARunKilledFromOneInProgress(CapturedOutput output) throws Exception {
		// given
		start(Duration.ofSeconds(30));
		Process run = this.child.run(this.job, this.manifest);
		assertThat(await(() -> !this.cloud.inspect().tasks().isEmpty(), run)).as(this.child.log()).isTrue();

		// when
		int during = ImageFerryApplication.run("status", "--job", this.job.toString());
		String inProgress = output.getOut();
		boolean alive = run.isAlive();
		run.destroyForcibly().waitFor();
		int after = ImageFerryApplication.run("status", "--job", this.job.toString());
		String interrupted = output.getOut().substring(inProgress.length());

		// then
		assertThat(alive).as("the run was still going after the first status").isTrue();
		assertThat(during).isZero();
		assertThat(inProgress).containsPattern("execution \\d+: STARTED")
			.contains("in progress: a process holds the lock of " + this.dir.resolve("data").toAbsolutePath())
			.doesNotContain("interrupted: ");
		assertThat(after).isZero();
		assertThat(interrupted).containsPattern("execution \\d+: STARTED")
			.contains("interrupted: no process holds it; `restart` resumes it")
			.doesNotContain("in progress: ");
	}

	/** Waits until the point is reached (true) or the run ends first (false). */
	private boolean await(BooleanSupplier point, Process run) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline && run.isAlive()) {
			if (point.getAsBoolean()) {
				return true;
			}
			Thread.sleep(20);
		}
		return false;
	}

	private static void kill(Process process, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -" + signal).isZero();
	}

}

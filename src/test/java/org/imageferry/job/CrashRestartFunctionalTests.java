package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line in a real child process, killed with SIGKILL at several points of a
 * run and started again with the same command each time: every image ends migrated
 * exactly once, with no duplicate export or import task and no duplicate target image.
 */
class CrashRestartFunctionalTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@TempDir
	Path dir;

	TestCloud cloud;

	ChildFerry child;

	@BeforeEach
	void startCloud() throws IOException {
		this.cloud = new TestCloud(this.dir,
				TestCloud.defaults().taskLatency(Duration.ofMillis(800), Duration.ofMillis(800)));
		this.child = new ChildFerry(this.dir, this.cloud.alice);
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	@Test
	void aRunKilledAtSeveralPointsAndRestartedMigratesEveryImageOnce() throws Exception {
		// given
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(this.cloud.seed("DFW", this.cloud.alice, "crash-" + i,
					(i % 2 == 0) ? SyntheticVhd.fixed((3 + i) * TestCloud.MIB, 100 + i)
							: SyntheticVhd.dynamic(24 * TestCloud.MIB, 100 + i, 0.5)));
		}
		Path manifest = this.cloud.manifest("crash.csv", ids.toArray(String[]::new));
		Path job = JobProfile.write(this.dir.resolve("crash.yml"), this.cloud.cloud.identityUrl(), this.dir, """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				tasks-in-flight-per-region: 2
				transfer-concurrency: 1
				poll-interval: 100ms
				retry-delay: 20ms
				consistency-wait: 5s
				""");
		List<BooleanSupplier> killPoints = List.of(() -> !this.cloud.inspect().tasks().isEmpty(),
				() -> this.cloud.objects("IAD", this.cloud.alice).stream().anyMatch((o) -> o.contains(".vhd-")),
				() -> this.cloud.inspect().tasks().stream().anyMatch((t) -> t.type().equals("import")),
				() -> ids.stream().anyMatch((id) -> !this.cloud.migrated("IAD", "DFW", id).isEmpty()));

		// when
		int kills = 0;
		for (BooleanSupplier point : killPoints) {
			Process run = launch(job, manifest);
			if (await(point, run)) {
				run.destroyForcibly().waitFor();
				kills++;
			}
			else {
				run.waitFor();
			}
		}
		Process last = launch(job, manifest);
		boolean ended = last.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then
		assertThat(ended).as("the last run ends").isTrue();
		assertThat(last.exitValue()).as(log()).isZero();
		assertThat(kills).as("runs killed mid-way").isGreaterThanOrEqualTo(3);
		for (String id : ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(this.cloud.inspect().imageMd5(target)).isEqualTo(this.cloud.inspect().imageMd5(id));
		}
		assertThat(this.cloud.inspect().images().stream().filter((i) -> i.region().equals("IAD"))).hasSize(ids.size());
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

	private Process launch(Path job, Path manifest) throws IOException {
		return this.child.run(job, manifest);
	}

	private String log() {
		return this.child.log();
	}

}

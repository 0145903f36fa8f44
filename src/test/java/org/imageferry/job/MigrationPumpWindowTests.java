package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.ledger.ImageState;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link MigrationPump} with a {@link Deadline}, one cycle at a time on a clock the
 * test moves: from the end less the drain nothing new starts while the tasks in flight
 * are still polled, and at the end the step is told to stop, with the window's exit code.
 */
class MigrationPumpWindowTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private static final long MIB = 1024 * 1024;

	private HeartRig rig;

	private HeartRig rig(SimulatorConfig.Builder cloud) throws Exception {
		this.rig = new HeartRig(this.dir, cloud, Map.of("poll-interval", "30s"));
		return this.rig;
	}

	@AfterEach
	void close() throws Exception {
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void fromTheEndLessTheDrainNoTaskStartsButTheTasksInFlightAreStillPolled() throws Exception {
		// given: a's export in flight (it does not end); the drain began a minute ago
		HeartRig rig = rig(ScriptedCloud.slowTasks());
		String a = rig.cloud().seed("a");
		String b = rig.cloud().seed("b");
		rig.ready(a);
		Deadline deadline = new Deadline(rig.now().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
		MigrationPump pump = rig.pump(deadline);
		rig.cycle(pump);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.EXPORTING);
		rig.set(deadline.lastStart().plus(Duration.ofMinutes(1)));
		rig.ready(a, b);
		int listings = rig.cloud().taskListings("DFW").size();

		// when
		RepeatStatus status = rig.cycle(pump);

		// then: b waits for the next window; a's task was listed; the run goes on
		assertThat(rig.row(b).state()).isEqualTo(ImageState.READY);
		assertThat(rig.cloud().taskPosts("DFW")).hasSize(1);
		assertThat(rig.cloud().taskListings("DFW")).hasSize(listings + 1);
		assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(rig.stepToldToStop()).isFalse();
	}

	@Test
	void atTheEndTheStepIsToldToStopWithTheTasksInFlightRecordedAndTheWindowsExitCode() throws Exception {
		// given: a's export in flight when the window closes
		HeartRig rig = rig(ScriptedCloud.slowTasks());
		String a = rig.cloud().seed("a");
		rig.ready(a);
		Deadline deadline = new Deadline(rig.now().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
		MigrationPump pump = rig.pump(deadline);
		rig.cycle(pump);
		String task = rig.row(a).exportTaskId();
		rig.set(deadline.end());

		// when
		RepeatStatus status = rig.cycle(pump);

		// then
		assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(rig.stepToldToStop()).isTrue();
		assertThat(rig.stepExitCode(pump)).isEqualTo(Window.CLOSED);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.EXPORTING);
		assertThat(rig.row(a).exportTaskId()).isEqualTo(task).isNotNull();
		assertThat(rig.cloud().taskPosts("DFW")).hasSize(1);
	}

	@Test
	void whileTheWindowClosesAPauseWaitsForTheCopiesSegmentNotForADuePoll() throws Exception {
		// given: a's copy under way when the window closes, its 16 MiB segments taking
		// seconds over the cloud's link; the poll long due by the rig's clock
		this.rig = new HeartRig(this.dir, ScriptedCloud.quickTasks().segmentSize(16 * MIB).hostBandwidth(4 * MIB),
				Map.of("poll-interval", "30s"));
		HeartRig rig = this.rig;
		String a = rig.cloud().seed("a", 48 * MIB, Map.of());
		rig.ready(a);
		Deadline deadline = new Deadline(rig.now().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
		MigrationPump pump = rig.pump(deadline);
		rig.cycle(pump);
		rig.cloud().awaitTasksEnded();
		rig.advance(Duration.ofSeconds(30));
		rig.cycle(pump);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.TRANSFERRING);
		// well into its first segment (a copy not yet copying stops at once)
		Thread.sleep(1000);
		rig.set(deadline.end());
		assertThat(rig.cycle(pump)).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(rig.stepToldToStop()).as("the copy is still finishing its segment").isFalse();

		// when
		long began = System.nanoTime();
		pump.pause();

		// then: the pause lasted (a segment's end, or the re-check a second later), where
		// a
		// due poll used to end it at once, cycle after cycle
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThan(Duration.ofMillis(300));
	}

	@Test
	void withNothingInFlightAndNothingAllowedToStartTheRunStopsBeforeTheEnd() throws Exception {
		// given: the drain has begun, nothing was started
		HeartRig rig = rig(ScriptedCloud.quickTasks());
		String a = rig.cloud().seed("a");
		rig.ready(a);
		Deadline deadline = new Deadline(rig.now().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
		MigrationPump pump = rig.pump(deadline);
		rig.set(deadline.lastStart());

		// when
		rig.cycle(pump);

		// then
		assertThat(rig.stepToldToStop()).isTrue();
		assertThat(rig.stepExitCode(pump)).isEqualTo(Window.CLOSED);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.READY);
		assertThat(rig.cloud().taskPosts("DFW")).isEmpty();
	}

	@Test
	void withoutADeadlineTheStepEndsWithItsOwnExitCode() throws Exception {
		// given
		HeartRig rig = rig(ScriptedCloud.slowTasks());
		rig.ready(rig.cloud().seed("a"));
		MigrationPump pump = rig.pump();
		rig.cycle(pump);
		rig.advance(Duration.ofDays(2));

		// when
		rig.cycle(pump);

		// then
		assertThat(rig.stepToldToStop()).isFalse();
		assertThat(rig.stepExitCode(pump)).isNotEqualTo(Window.CLOSED);
	}

}

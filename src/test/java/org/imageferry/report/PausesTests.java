package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.imageferry.report.RunSummary.Execution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phase arithmetic of a run stopped and restarted: a phase's time is its wall time
 * less the pauses between executions that fall within it.
 */
class PausesTests {

	private static final Instant T0 = Instant.parse("2025-03-01T02:00:00Z");

	/** Stopped at 100 s, restarted at 160 s; failed at 300 s, restarted at 400 s. */
	private static final List<Execution> EXECUTIONS = List.of(new Execution(1, "STOPPED", at(0), at(100)),
			new Execution(2, "FAILED", at(160), at(300)), new Execution(3, "COMPLETED", at(400), at(500)));

	@Test
	void thePausesAreTheIntervalsBetweenExecutions() {
		// when
		List<Pauses.Pause> pauses = Pauses.between(EXECUTIONS).list();

		// then
		assertThat(pauses).containsExactly(new Pauses.Pause(at(100), at(160), 1, "stopped"),
				new Pauses.Pause(at(300), at(400), 2, "failed"));
		assertThat(pauses.get(0).label()).isEqualTo("stopped");
		assertThat(pauses.get(1).duration()).isEqualTo(Duration.ofSeconds(100));
	}

	@Test
	void anExecutionStillRunningOrWithoutAnEndLeavesNoPause() {
		// given
		List<Execution> running = List.of(new Execution(1, "STOPPED", at(0), at(100)),
				new Execution(2, "STARTED", at(160), null));
		List<Execution> unknown = List.of(new Execution(1, "FAILED", at(0), null),
				new Execution(2, "COMPLETED", at(160), at(200)));

		// when
		Pauses whileRunning = Pauses.between(running);
		Pauses withoutEnd = Pauses.between(unknown);

		// then
		assertThat(whileRunning.list()).hasSize(1);
		assertThat(withoutEnd.list()).isEmpty();
	}

	@Test
	void aPhaseTimeLeavesOutThePausesWithinIt() {
		// given
		Pauses pauses = Pauses.between(EXECUTIONS);

		// then: before, across one, across both, ending inside one, inside one
		assertThat(pauses.active(at(10), at(90))).isEqualTo(Duration.ofSeconds(80));
		assertThat(pauses.active(at(50), at(200))).isEqualTo(Duration.ofSeconds(90));
		assertThat(pauses.active(at(50), at(450))).isEqualTo(Duration.ofSeconds(240));
		assertThat(pauses.active(at(250), at(350))).isEqualTo(Duration.ofSeconds(50));
		assertThat(pauses.active(at(110), at(150))).isEqualTo(Duration.ZERO);
		assertThat(Pauses.NONE.active(at(50), at(450))).isEqualTo(Duration.ofSeconds(400));
	}

	@Test
	void aPhaseIsCutAtThePausesIntoThePartsTheRunWasRunning() {
		// given
		Pauses pauses = Pauses.between(EXECUTIONS);

		// then
		assertThat(pauses.activeParts(at(50), at(450))).containsExactly(new Pauses.Part(at(50), at(100)),
				new Pauses.Part(at(160), at(300)), new Pauses.Part(at(400), at(450)));
		assertThat(pauses.activeParts(at(120), at(200))).containsExactly(new Pauses.Part(at(160), at(200)));
		assertThat(pauses.activeParts(at(250), at(350))).containsExactly(new Pauses.Part(at(250), at(300)));
		assertThat(pauses.activeParts(at(10), at(90))).containsExactly(new Pauses.Part(at(10), at(90)));
	}

	@Test
	void theRunsWallTimeCoversEveryExecutionAndItsActiveTimeLeavesOutThePauses() {
		// given
		RunSummary run = new RunSummary(1, 3, "COMPLETED", "r", "m", "p", EXECUTIONS);

		// then
		assertThat(run.startedAt()).isEqualTo(at(0));
		assertThat(run.endedAt()).isEqualTo(at(500));
		assertThat(run.wallTime()).isEqualTo(Duration.ofSeconds(500));
		assertThat(run.activeTime()).isEqualTo(Duration.ofSeconds(340));
	}

	private static Instant at(int seconds) {
		return T0.plusSeconds(seconds);
	}

}

package org.imageferry.cli;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Progress;

import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rate and ETA arithmetic of the progress line, on a clock the test moves: the rate
 * is over the last 30 s of this process, the ETA comes from the work left at the observed
 * rates, and says {@code -} rather than guess.
 */
class ForecastTests {

	private static final long MIB = 1024 * 1024;

	private static final long GIB = 1024 * MIB;

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T17:00:00Z"));

	private long streamed;

	@Test
	void theRateIsOverTheLastThirtySeconds() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);

		// when: a minute at 10 MiB/s, then half a minute at 2 MiB/s
		stream(forecast, 60, 10 * MIB);
		stream(forecast, 30, 2 * MIB);

		// then
		assertThat(forecast.recentRate()).hasValueCloseTo(2.0 * MIB, within(1.0));
	}

	@Test
	void afterARestartTheRateCountsOnlyTheBytesThisProcessMoved() {
		// given: a restarted run whose ledger counts 8 GiB moved by the process before
		Forecast forecast = new Forecast(this.clock, this.streamed);
		String first = forecast.line(progress(8 * GIB, 4 * GIB, 3), this.streamed);

		// when: ten seconds at 5 MiB/s, one task finished
		stream(forecast, 10, 5 * MIB);
		String line = forecast.line(progress(8 * GIB, 4 * GIB, 2), this.streamed);

		// then: 5 MiB/s, not (8 GiB + 50 MiB) / 10 s; 4 GiB - 50 MiB left at 5 MiB/s
		assertThat(first).isEqualTo("1/4 images (0 failed), 8.0 GiB moved, -/s, ETA -");
		assertThat(line).isEqualTo("1/4 images (0 failed), 8.0 GiB moved, 5.0 MiB/s, ETA 13m 29s");
	}

	@Test
	void aCapInForceIsShownBesideTheRate() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);
		forecast.line(progress(0, 4 * GIB, 1), this.streamed, 50 * MIB);

		// when: ten seconds held to the cap
		stream(forecast, 10, 50 * MIB);
		String capped = forecast.line(progress(0, 4 * GIB, 1), this.streamed, 50 * MIB);
		String uncapped = forecast.line(progress(0, 4 * GIB, 1), this.streamed, 0);

		// then
		assertThat(capped).contains(", 50.0 MiB/s (cap 50.0 MiB/s), ETA ");
		assertThat(uncapped).contains(", 50.0 MiB/s, ETA ").doesNotContain("cap");
	}

	@Test
	void bytesMovedGrowAsTheyStreamBeforeTheLedgerCountsTheSegment() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);
		forecast.line(progress(0, 4 * GIB, 1), this.streamed);

		// when: 300 MiB of a 1,000 MB segment streamed, none of it in the ledger yet
		stream(forecast, 3, 100 * MIB);
		String line = forecast.line(progress(0, 4 * GIB, 1), this.streamed);

		// then
		assertThat(line).startsWith("1/4 images (0 failed), 300.0 MiB moved, 100.0 MiB/s");
	}

	@Test
	void withWorkLeftAndNoRateObservedTheEtaSaysSoRatherThanGuess() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);
		forecast.eta(GIB, 4);

		// when: five seconds with nothing moved and no task finished
		stream(forecast, 5, 0);

		// then
		assertThat(forecast.eta(GIB, 4)).isEmpty();
		assertThat(forecast.eta(0, 4)).isEmpty();
		assertThat(forecast.eta(GIB, 0)).isEmpty();
		assertThat(forecast.eta(0, 0)).hasValue(Duration.ZERO);
	}

	@Test
	void theEtaIsSetByTheSlowerOfBytesAndTasks() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);
		forecast.eta(GIB, 10);

		// when: 10 MiB/s for 100 s, and 2 of 10 tasks finished in that time
		stream(forecast, 100, 10 * MIB);

		// then: 1 GiB at 10 MiB/s is 102.4 s; 8 tasks at one per 50 s are 400 s
		assertThat(forecast.eta(GIB, 8)).hasValue(Duration.ofSeconds(400));
		assertThat(forecast.eta(10 * GIB, 8)).hasValue(Duration.ofMillis(1_024_000));
	}

	@Test
	void whenTheLastThirtySecondsMovedNothingTheWholeWatchsRateStandsIn() {
		// given
		Forecast forecast = new Forecast(this.clock, this.streamed);

		// when: 10 s at 1 MiB/s, then 40 s waiting for exports
		stream(forecast, 10, MIB);
		stream(forecast, 40, 0);

		// then: 10 MiB in 50 s
		assertThat(forecast.recentRate()).hasValue(0.0);
		assertThat(forecast.eta(10 * MIB, 0)).hasValue(Duration.ofSeconds(50));
	}

	/** {@code seconds} seconds at {@code perSecond}, sampled every second. */
	private void stream(Forecast forecast, int seconds, long perSecond) {
		for (int i = 0; i < seconds; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.streamed += perSecond;
			forecast.sample(this.streamed);
		}
	}

	private static Progress progress(long moved, long left, int tasksLeft) {
		return new Progress(4, 1, 0, moved, moved + left, left, tasksLeft);
	}

}

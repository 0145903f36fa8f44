package org.imageferry.transfer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token bucket alone, on a clock that only its sleeper moves: every wait is recorded
 * and takes exactly as long as it asked, so rates are computed, not measured.
 */
class BandwidthCapTests {

	private static final long KIB = 1024;

	private static final long MIB = 1024 * KIB;

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-06-01T10:00:00Z"));

	private final List<Duration> waits = new ArrayList<>();

	private BandwidthCap cap(String limit) {
		return new BandwidthCap(BandwidthLimit.valueOf(limit).withZone(LONDON), this.clock, (nanos) -> {
			this.waits.add(Duration.ofNanos(nanos));
			this.clock.advance(Duration.ofNanos(nanos));
		});
	}

	@Test
	void theRateIsHeldOverManyBuffers() throws InterruptedException {
		// given
		BandwidthCap cap = cap("4MB/s");
		Instant start = this.clock.instant();

		// when: 40 MiB in 64 KiB buffers, read in no time
		for (int i = 0; i < 640; i++) {
			cap.take(64 * KIB);
		}

		// then: ten seconds, less the last buffer, which went out on credit
		double seconds = Duration.between(start, this.clock.instant()).toNanos() / 1e9;
		assertThat(40 * MIB / seconds).isCloseTo(4.0 * MIB, Percentage.withPercentage(1));
		assertThat(this.waits)
			.allSatisfy((w) -> assertThat(w).isBetween(BandwidthCap.LEAST_WAIT, BandwidthCap.MOST_WAIT));
	}

	@Test
	void anIdleCopyCatchesUpByAQuarterSecondOfRateAtMost() throws InterruptedException {
		// given: a cap that has been idle for a minute
		BandwidthCap cap = cap("4MB/s");
		cap.take(1);
		this.clock.advance(Duration.ofMinutes(1));
		this.waits.clear();

		// when: buffers are read until the first wait
		long through = 0;
		while (this.waits.isEmpty()) {
			cap.take(64 * KIB);
			through += 64 * KIB;
		}

		// then: the burst is 1 MiB (a quarter second at 4 MiB/s) and the buffer that
		// overdrew it
		assertThat(through).isBetween(1 * MIB, 1 * MIB + 2 * 64 * KIB);
	}

	@Test
	void theTimetableSwitchesTheRateAtItsTimesInItsZone() throws InterruptedException {
		// given: 11:59:58 in London (BST, UTC+1)
		this.clock.set(Instant.parse("2026-06-01T10:59:58Z"));
		BandwidthCap cap = cap("08:00,1MB/s 12:00,4MB/s 20:00,off");
		assertThat(cap.rateNow()).isEqualTo(1 * MIB);

		// when: 6 MiB go through, 2 s of them at 1 MiB/s and the rest at 4 MiB/s
		Instant start = this.clock.instant();
		for (int i = 0; i < 96; i++) {
			cap.take(64 * KIB);
		}

		// then
		assertThat(Duration.between(start, this.clock.instant())).isBetween(Duration.ofMillis(2900),
				Duration.ofMillis(3100));
		assertThat(cap.rateNow()).isEqualTo(4 * MIB);
	}

	@Test
	void aCopyInDeepDebtIsLetGoWithinASecondOfTheCapsEnd() throws InterruptedException {
		// given: 19:59:58 in London, one slow buffer overdrew a 1 KiB/s cap by an hour
		this.clock.set(Instant.parse("2026-06-01T18:59:58Z"));
		BandwidthCap cap = cap("08:00,1KB/s 20:00,off");
		cap.take(3600 * KIB);

		// when
		cap.take(64 * KIB);

		// then: it waited in steps of a second at most, and the cap ended at 20:00
		assertThat(this.clock.instant()).isBetween(Instant.parse("2026-06-01T19:00:00Z"),
				Instant.parse("2026-06-01T19:00:01Z"));
		assertThat(this.waits).allSatisfy((w) -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(1)));
		assertThat(cap.rateNow()).isZero();
	}

	@Test
	void withoutACapNothingWaits() throws InterruptedException {
		// given
		BandwidthCap cap = cap("off");

		// when
		for (int i = 0; i < 1000; i++) {
			cap.take(64 * MIB);
		}

		// then
		assertThat(this.waits).isEmpty();
		assertThat(cap.rateNow()).isZero();
	}

	@Test
	void aCapThatStartsFromTheTimetableStartsWithAnEmptyBucket() throws InterruptedException {
		// given: 07:59:59 in London, no cap yet; a long idle time before
		this.clock.set(Instant.parse("2026-06-01T06:59:59Z"));
		BandwidthCap cap = cap("08:00,1MB/s 20:00,off");
		cap.take(100 * MIB);
		this.clock.advance(Duration.ofSeconds(2));

		// when: at 08:00:01, 2 MiB
		Instant start = this.clock.instant();
		for (int i = 0; i < 32; i++) {
			cap.take(64 * KIB);
		}

		// then: no saved-up credit from the uncapped time: about two seconds
		assertThat(Duration.between(start, this.clock.instant())).isBetween(Duration.ofMillis(1900),
				Duration.ofMillis(2000));
	}

}

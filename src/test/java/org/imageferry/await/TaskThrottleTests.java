package org.imageferry.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.imageferry.cloud.CloudException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskThrottle}: the cap a region is found to accept, halved by a refusal and
 * grown back by one per round of starts, and the hold a refusal's {@code Retry-After}
 * asks for.
 */
class TaskThrottleTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private final TaskThrottle throttle = new TaskThrottle("DFW:alice", 20, Duration.ofSeconds(30));

	private static CloudException overLimit(Duration retryAfter) {
		return CloudException.ofStatus("POST export task in DFW", 413, "Over Limit", retryAfter);
	}

	@Test
	void startsAtTheProfilesCapWithConcurrentWaves() {
		assertThat(this.throttle.cap()).isEqualTo(20);
		assertThat(this.throttle.room(5, NOW)).isEqualTo(15);
		assertThat(this.throttle.room(25, NOW)).isZero();
		assertThat(this.throttle.oneAtATime()).isFalse();
	}

	@Test
	void aRefusalHalvesTheCapAndHoldsTheRegionForWhatRetryAfterAsked() {
		// when
		this.throttle.refused(overLimit(Duration.ofSeconds(45)), NOW);

		// then
		assertThat(this.throttle.cap()).isEqualTo(10);
		assertThat(this.throttle.room(0, NOW)).isZero();
		assertThat(this.throttle.room(0, NOW.plusSeconds(44))).isZero();
		assertThat(this.throttle.room(3, NOW.plusSeconds(45))).isEqualTo(7);
		assertThat(this.throttle.heldUntil()).isEqualTo(NOW.plusSeconds(45));
		assertThat(this.throttle.oneAtATime()).isTrue();
	}

	@Test
	void aRefusalWithoutRetryAfterHoldsForTheDefault() {
		// when
		this.throttle.refused(overLimit(null), NOW);

		// then
		assertThat(this.throttle.room(0, NOW.plusSeconds(29))).isZero();
		assertThat(this.throttle.room(0, NOW.plusSeconds(30))).isEqualTo(10);
	}

	@Test
	void aShorterHoldDoesNotShortenALongerOne() {
		// when
		this.throttle.refused(overLimit(Duration.ofSeconds(60)), NOW);
		this.throttle.refused(overLimit(Duration.ZERO), NOW.plusSeconds(1));

		// then
		assertThat(this.throttle.heldUntil()).isEqualTo(NOW.plusSeconds(60));
	}

	@Test
	void theCapNeverFallsBelowOne() {
		// when
		for (int i = 0; i < 8; i++) {
			this.throttle.refused(overLimit(Duration.ZERO), NOW);
		}

		// then
		assertThat(this.throttle.cap()).isEqualTo(1);
		assertThat(this.throttle.room(0, NOW)).isEqualTo(1);
	}

	@Test
	void theCapGrowsByOneAfterARoundOfStartsUpToTheProfilesCap() {
		// given
		this.throttle.refused(overLimit(Duration.ZERO), NOW);
		this.throttle.refused(overLimit(Duration.ZERO), NOW);
		assertThat(this.throttle.cap()).isEqualTo(5);

		// when: four starts, then the fifth
		for (int i = 0; i < 4; i++) {
			this.throttle.started();
		}
		int afterFour = this.throttle.cap();
		this.throttle.started();

		// then
		assertThat(afterFour).isEqualTo(5);
		assertThat(this.throttle.cap()).isEqualTo(6);
		for (int i = 0; i < 1000; i++) {
			this.throttle.started();
		}
		assertThat(this.throttle.cap()).isEqualTo(20);
		assertThat(this.throttle.oneAtATime()).isFalse();
	}

	@Test
	void aRefusalStartsTheRoundAgain() {
		// given: 9 of the 10 starts a round at cap 10 needs
		this.throttle.refused(overLimit(Duration.ZERO), NOW);
		for (int i = 0; i < 9; i++) {
			this.throttle.started();
		}

		// when
		this.throttle.refused(overLimit(Duration.ZERO), NOW);
		this.throttle.started();

		// then
		assertThat(this.throttle.cap()).isEqualTo(5);
	}

	@Test
	void overLimitIs413Or429() {
		assertThat(TaskThrottle.overLimit(overLimit(null))).isTrue();
		assertThat(TaskThrottle.overLimit(CloudException.ofStatus("POST", 429, null, null))).isTrue();
		assertThat(TaskThrottle.overLimit(CloudException.ofStatus("POST", 503, null, null))).isFalse();
		assertThat(TaskThrottle.overLimit(CloudException.ofStatus("POST", 400, null, null))).isFalse();
	}

}

package org.imageferry.cloud;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryAfter}: seconds, the three HTTP-date forms RFC 9110 asks a recipient to
 * accept, and what is neither.
 */
class RetryAfterTests {

	/** A Monday. */
	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	@Test
	void secondsAreSeconds() {
		assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse(" 7 ", NOW)).isEqualTo(Duration.ofSeconds(7));
		assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
	}

	@Test
	void anImfFixdateIsTheTimeUntilThen() {
		assertThat(RetryAfter.parse("Mon, 01 Jun 2026 12:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void theObsoleteDateFormsAreReadToo() {
		assertThat(RetryAfter.parse("Monday, 01-Jun-26 12:01:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(1));
		assertThat(RetryAfter.parse("Mon Jun  1 12:00:05 2026", NOW)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void aDateAlreadyPastMeansNoWait() {
		assertThat(RetryAfter.parse("Mon, 01 Jun 2026 11:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
		// a two-digit year more than 50 years ahead is in the past century: 1994, not
		// 2094
		assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(Duration.ZERO);
	}

	@Test
	void garbageAndAbsenceAreNull() {
		assertThat(RetryAfter.parse(null, NOW)).isNull();
		assertThat(RetryAfter.parse("", NOW)).isNull();
		assertThat(RetryAfter.parse("   ", NOW)).isNull();
		assertThat(RetryAfter.parse("soon", NOW)).isNull();
		assertThat(RetryAfter.parse("-5", NOW)).isNull();
		assertThat(RetryAfter.parse("1.5", NOW)).isNull();
		assertThat(RetryAfter.parse("99999999999999999999", NOW)).isNull();
		assertThat(RetryAfter.parse("Mon, 32 Jun 2026 12:00:30 GMT", NOW)).isNull();
		assertThat(RetryAfter.parse("2026-06-01T12:00:30Z", NOW)).isNull();
	}

	@Test
	void noWaitIsLongerThanTheLongestHonoured() {
		assertThat(RetryAfter.parse("86400", NOW)).isEqualTo(RetryAfter.LONGEST);
		assertThat(RetryAfter.parse("Tue, 01 Jun 2027 12:00:00 GMT", NOW)).isEqualTo(RetryAfter.LONGEST);
	}

}

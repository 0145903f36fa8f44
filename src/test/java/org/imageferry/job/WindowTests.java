package org.imageferry.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import org.imageferry.job.Window.TimeOfDay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The profile's window read as the operator means it: across midnight, in its zone, and
 * {@code 22:00} whether YAML read it as text or as the base-60 number 1320.
 */
class WindowTests {

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private static final Window NIGHT = new Window(TimeOfDay.valueOf("22:00"), TimeOfDay.valueOf("06:00"), LONDON,
			Duration.ofMinutes(15));

	@Test
	void insideAWindowAcrossMidnightTheDeadlineIsTheNextEnd() {
		// given: 23:30 in London (BST, UTC+1)
		Instant now = Instant.parse("2026-08-03T22:30:00Z");

		// when
		Deadline deadline = NIGHT.deadline(now).orElseThrow();

		// then
		assertThat(deadline.end()).isEqualTo(Instant.parse("2026-08-04T05:00:00Z"));
		assertThat(deadline.lastStart()).isEqualTo(Instant.parse("2026-08-04T04:45:00Z"));
		assertThat(NIGHT.deadline(Instant.parse("2026-08-04T04:59:00Z")).orElseThrow().end()).isEqualTo(deadline.end());
	}

	@Test
	void outsideTheWindowThereIsNoDeadlineAndItOpensAtTheNextStart() {
		// given: 14:00 in London
		Instant now = Instant.parse("2026-08-03T13:00:00Z");

		// when / then
		assertThat(NIGHT.deadline(now)).isEmpty();
		assertThat(NIGHT.opensAfter(now)).isEqualTo(Instant.parse("2026-08-03T21:00:00Z"));
		assertThat(NIGHT.deadline(Instant.parse("2026-08-04T05:00:00Z"))).as("the end itself is outside").isEmpty();
	}

	@Test
	void untilReplacesTheWindowByOneThatEndsThenAndStartsNow() {
		// given: 14:00 in London, outside the night window
		Instant now = Instant.parse("2026-08-03T13:00:00Z");

		// when
		Deadline deadline = NIGHT.until(LocalTime.of(16, 30)).deadline(now).orElseThrow();

		// then
		assertThat(deadline.end()).isEqualTo(Instant.parse("2026-08-03T15:30:00Z"));
	}

	@Test
	void noWindowIsNoDeadline() {
		assertThat(Window.NONE.deadline(Instant.now())).contains(Deadline.NONE);
		assertThat(Deadline.NONE.allowsStarts(Instant.parse("2999-01-01T00:00:00Z"))).isTrue();
	}

	@Test
	void yamlsBase60ReadingOfAnUnquotedTimeIsTheTimeWritten() {
		assertThat(TimeOfDay.valueOf(1320).time()).isEqualTo(LocalTime.of(22, 0));
		assertThat(TimeOfDay.valueOf("6:30").time()).isEqualTo(LocalTime.of(6, 30));
		assertThatIllegalArgumentException().isThrownBy(() -> TimeOfDay.valueOf(6)).withMessageContaining("HH:MM");
		assertThatIllegalArgumentException().isThrownBy(() -> TimeOfDay.valueOf("25:00"))
			.withMessageContaining("'25:00' is not a time of day");
	}

	@Test
	void aWindowThatCannotWorkIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Window(TimeOfDay.valueOf("22:00"), null, LONDON, Duration.ZERO))
			.withMessageContaining("needs an end");
		assertThatIllegalArgumentException().isThrownBy(
				() -> new Window(TimeOfDay.valueOf("22:00"), TimeOfDay.valueOf("23:00"), LONDON, Duration.ofHours(1)))
			.withMessageContaining("nothing would ever start");
	}

}

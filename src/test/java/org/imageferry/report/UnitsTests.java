package org.imageferry.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsTests {

	@Test
	void timestampsAreIso8601WithTheirZoneAndNoFractionOfASecond() {
		// given
		Instant instant = Instant.parse("2025-03-01T02:00:07.123456789Z");

		// then
		assertThat(Units.timestamp(instant, ZoneOffset.UTC)).isEqualTo("2025-03-01T02:00:07Z");
		assertThat(Units.timestamp(instant, ZoneId.of("Europe/Berlin"))).isEqualTo("2025-03-01T03:00:07+01:00");
		assertThat(Units.timestamp(instant, ZoneId.of("America/Chicago"))).isEqualTo("2025-02-28T20:00:07-06:00");
		assertThat(Units.timestamp(null)).isEmpty();
	}

}

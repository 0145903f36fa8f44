package org.imageferry.transfer;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BandwidthLimitTests {

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			// value | London time (June: UTC+1) | bytes a second
			"50MB/s | 03:00 | 52428800", "512KB/s | 23:59 | 524288", "off | 12:00 | 0", "false | 12:00 | 0",
			"08:00,50MB/s 20:00,off | 07:59 | 0", "08:00,50MB/s 20:00,off | 08:00 | 52428800",
			"08:00,50MB/s 20:00,off | 19:59 | 52428800", "08:00,50MB/s 20:00,off | 20:00 | 0",
			"20:00,1MB/s 08:00,off | 02:00 | 1048576", "00:00,1MB/s 12:30,2MB/s | 12:45 | 2097152" })
	void theCapInForceFollowsTheTimetableInItsZone(String value, String londonTime, long expected) {
		// given
		BandwidthLimit limit = BandwidthLimit.valueOf(value).withZone(LONDON);
		Instant at = Instant.parse("2026-06-01T" + londonTime + ":00+01:00");

		// when
		long rate = limit.rateAt(at);

		// then
		assertThat(rate).isEqualTo(expected);
		assertThat(limit.off()).isEqualTo(value.equals("off") || value.equals("false"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "fast", "50MB", "50 furlongs/s", "0MB/s", "-1MB/s", "25:00,1MB/s", "08:00 50MB/s",
			"08:00,1MB/s 08:00,off", "08:00,1MB/s,2MB/s" })
	void aValueThatCannotWorkIsRefusedSayingWhatWould(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> BandwidthLimit.valueOf(value))
			.withMessageContaining("'")
			.satisfies((ex) -> assertThat(ex.getMessage()).containsAnyOf("50MB/s", "off", "twice"));
	}

}

package org.imageferry.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The three ways Swift writes an object's time, in one place. Each is a format clients
 * parse strictly: Go's {@code http.TimeFormat} (rclone) fails on {@code Fri, 4 Dec},
 * which is what {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes on the 1st to the 9th
 * of a month, and {@code 2006-01-02T15:04:05.000000} (rclone's listing format) fails when
 * the fraction has fewer than six digits, which {@link Instant#toString()} gives whenever
 * the microseconds end in zeros.
 */
final class SwiftTime {

	/**
	 * RFC 9110's IMF-fixdate, as Swift's {@code strftime("%a, %d %b %Y %H:%M:%S GMT")}.
	 */
	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	/** Swift's {@code Timestamp.isoformat}: microseconds, always six digits, no zone. */
	private static final DateTimeFormatter LISTING = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS")
		.withZone(ZoneOffset.UTC);

	private SwiftTime() {
	}

	/**
	 * The {@code Last-Modified} header: {@code Fri, 04 Dec 2026 17:28:35 GMT}, rounded up
	 * to the next whole second as Swift does ({@code Timestamp.ceil()}), so that a
	 * client's {@code If-Modified-Since} with this value never sees the object as newer.
	 */
	static String httpDate(Instant time) {
		Instant whole = time.truncatedTo(ChronoUnit.SECONDS);
		return HTTP_DATE.format(whole.equals(time) ? whole : whole.plusSeconds(1));
	}

	/**
	 * A listing's {@code last_modified}: {@code 2026-12-04T17:28:35.123450}, to the ten
	 * microseconds Swift keeps, as {@link #timestamp} shows them.
	 */
	static String listingDate(Instant time) {
		return LISTING.format(time.with(ChronoField.NANO_OF_SECOND, time.getNano() / 10_000 * 10_000));
	}

	/** The {@code X-Timestamp} header: seconds since the epoch with five decimals. */
	static String timestamp(Instant time) {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
		return String.format(Locale.ROOT, "%d.%05d", Math.floorDiv(micros, 1_000_000),
				Math.floorMod(micros, 1_000_000) / 10);
	}

}

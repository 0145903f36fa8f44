package org.imageferry.cloud;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.openstack4j.api.exceptions.ResponseException;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3): a number of seconds, or
 * an HTTP-date in any of the three forms a recipient must accept (IMF-fixdate
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}, the obsolete RFC 850
 * {@code Sunday, 06-Nov-94 08:49:37 GMT} and asctime {@code Sun Nov  6 08:49:37 1994}).
 * Rackspace sends seconds (Cloud Servers documents its 413 that way); a proxy or a plain
 * OpenStack service in front may send a date. One reading for every client here.
 */
public final class RetryAfter {

	/**
	 * The longest wait honoured. Rackspace's limits are per minute; a header asking for
	 * more than this is likelier a wrong clock (a date far ahead) than a real
	 * instruction, and asking again after it costs one request.
	 */
	public static final Duration LONGEST = Duration.ofMinutes(15);

	private static final Pattern SECONDS = Pattern.compile("\\d{1,18}");

	/**
	 * The day's name leading an obsolete date: not checked (a two-digit year is moved).
	 */
	private static final Pattern DAY_NAME = Pattern.compile("^[A-Za-z]+,? +");

	/** RFC 850 after the day's name: {@code 06-Nov-94 08:49:37 GMT}. */
	private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);

	/** asctime after the day's name: {@code Nov  6 08:49:37 1994}. */
	private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss uuuu", Locale.US);

	private RetryAfter() {
	}

	/**
	 * How long to wait from {@code now}, at most {@link #LONGEST}: zero for a date
	 * already past, null when the header is absent or reads as neither seconds nor a date
	 * (then the caller's own backoff applies).
	 */
	public static Duration parse(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.strip();
		if (SECONDS.matcher(value).matches()) {
			return min(Duration.ofSeconds(Long.parseLong(value)));
		}
		Instant at = date(value, now);
		if (at == null) {
			return null;
		}
		return at.isAfter(now) ? min(Duration.between(now, at)) : Duration.ZERO;
	}

	/**
	 * The header read against the system clock: HTTP-dates are the server's wall time.
	 */
	static Duration parse(String header) {
		return parse(header, Instant.now());
	}

	/**
	 * What the {@code Retry-After} of an OpenStack4j error answer asked for, or null
	 * ({@link JdkHttpConnector} keeps the header on the exception).
	 */
	static Duration of(ResponseException ex) {
		return (ex instanceof RetryAfterException answer) ? parse(answer.header()) : null;
	}

	private static Instant date(String value, Instant now) {
		try {
			return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value, Instant::from);
		}
		catch (DateTimeParseException ex) {
			// not an IMF-fixdate: one of the obsolete forms, or nothing
		}
		String afterDayName = DAY_NAME.matcher(value).replaceFirst("");
		for (DateTimeFormatter format : List.of(RFC_850, ASCTIME)) {
			try {
				Instant at = LocalDateTime.parse(afterDayName, format).toInstant(ZoneOffset.UTC);
				// RFC 9110: a two-digit year more than 50 years ahead is in the past
				// century
				return (format == RFC_850 && at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(50).toInstant()))
						? at.atOffset(ZoneOffset.UTC).minusYears(100).toInstant() : at;
			}
			catch (DateTimeParseException ex) {
				// try the next form
			}
		}
		return null;
	}

	private static Duration min(Duration wait) {
		return (wait.compareTo(LONGEST) > 0) ? LONGEST : wait;
	}

}

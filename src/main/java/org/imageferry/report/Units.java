package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How sizes and durations read for people — the same in the console, the progress line
 * and the HTML report.
 */
public final class Units {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX",
			Locale.ROOT);

	private Units() {
	}

	/**
	 * @return e.g. {@code 512 B}, {@code 1.5 KiB}, {@code 234.1 MiB}
	 */
	public static String bytes(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KiB", "MiB", "GiB", "TiB", "PiB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	/**
	 * @return e.g. {@code 4.2 s}, {@code 3m 05s}, {@code 2h 07m}, or empty for
	 * {@code null}
	 */
	public static String duration(Duration duration) {
		if (duration == null) {
			return "";
		}
		long seconds = duration.getSeconds();
		if (seconds < 60) {
			return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
		}
		if (seconds < 3600) {
			return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
		}
		return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds / 60 % 60);
	}

	/**
	 * @return e.g. {@code 2025-03-01T03:00:00+01:00} (or {@code …Z} in UTC): ISO-8601 in
	 * this machine's zone, to the second, as an operator compares it with {@code date}
	 * and log lines; empty for {@code null}
	 */
	public static String timestamp(Instant instant) {
		return timestamp(instant, ZoneId.systemDefault());
	}

	static String timestamp(Instant instant, ZoneId zone) {
		return (instant != null) ? TIMESTAMP.withZone(zone).format(instant) : "";
	}

}

package org.imageferry.transfer;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.util.unit.DataSize;

/**
 * The profile's {@code bandwidth-limit}: how many bytes a second all of this process's
 * segment copies may stream together, as one rate ({@code 50MB/s}), {@code off}, or a
 * timetable as rclone's {@code --bwlimit} has for files
 * ({@code "08:00,50MB/s 20:00,off"}: from 08:00 a cap of 50 MB/s, from 20:00 none, and so
 * on each day; before the first time of a day the last one of the day before holds).
 * Sizes are Spring's {@link DataSize} ({@code MB} is 1024 × 1024 bytes), per second.
 * <p>
 * Times are read in {@link #zone()}, the system's unless {@link #withZone} says
 * otherwise. The text is parsed by {@link #valueOf} when the profile is bound, so a value
 * that cannot work is refused before the run starts, naming the key.
 *
 * @param steps when each rate starts, by time of day; one step at midnight for a plain
 * rate; empty when there is no cap
 * @param zone the zone the times are in
 * @param text the value as the profile wrote it
 */
public record BandwidthLimit(List<Step> steps, ZoneId zone, String text) {

	/** No cap. */
	public static final BandwidthLimit OFF = new BandwidthLimit(List.of(), ZoneId.systemDefault(), "off");

	private static final String EXAMPLE = "write a rate such as 50MB/s, off, "
			+ "or a timetable such as \"08:00,50MB/s 20:00,off\"";

	public BandwidthLimit {
		steps = steps.stream().sorted(Comparator.comparing(Step::from)).toList();
	}

	/**
	 * Parses a profile value; {@code false} is {@code off} too, since YAML reads an
	 * unquoted {@code off} as a boolean (as {@link #valueOf(Boolean)} has it, when it
	 * comes from YAML as one).
	 * @throws IllegalArgumentException when the text is neither a rate, {@code off} nor a
	 * timetable of them
	 */
	public static BandwidthLimit valueOf(String text) {
		String value = (text != null) ? text.trim() : "";
		if (value.isEmpty() || isOff(value)) {
			return OFF;
		}
		if (!value.contains(",")) {
			return new BandwidthLimit(List.of(new Step(LocalTime.MIDNIGHT, rate(value, text))), ZoneId.systemDefault(),
					value);
		}
		List<Step> steps = new ArrayList<>();
		for (String entry : value.split("\\s+")) {
			String[] parts = entry.split(",", -1);
			if (parts.length != 2) {
				throw new IllegalArgumentException("'" + entry + "' is not a time and a rate: " + EXAMPLE);
			}
			LocalTime from = time(parts[0], entry);
			if (steps.stream().anyMatch((s) -> s.from().equals(from))) {
				throw new IllegalArgumentException("'" + value + "' names " + parts[0] + " twice");
			}
			steps.add(new Step(from, isOff(parts[1]) ? 0 : rate(parts[1], entry)));
		}
		if (steps.stream().allMatch((s) -> s.bytesPerSecond() == 0)) {
			return OFF;
		}
		return new BandwidthLimit(steps, ZoneId.systemDefault(), value);
	}

	/**
	 * An unquoted {@code off} in YAML, which arrives as {@code false}; {@code on} (true)
	 * says no rate.
	 */
	public static BandwidthLimit valueOf(Boolean value) {
		if (Boolean.TRUE.equals(value)) {
			throw new IllegalArgumentException("'on' is not a rate: " + EXAMPLE);
		}
		return OFF;
	}

	/** The same timetable read in another zone (a profile's, or a test's). */
	public BandwidthLimit withZone(ZoneId zone) {
		return new BandwidthLimit(this.steps, zone, this.text);
	}

	/** Whether there is no cap at any time. */
	public boolean off() {
		return this.steps.isEmpty();
	}

	/** The cap in force at this instant, in bytes a second; 0 when there is none. */
	public long rateAt(Instant instant) {
		if (this.steps.isEmpty()) {
			return 0;
		}
		LocalTime now = instant.atZone(this.zone).toLocalTime();
		Step current = this.steps.get(this.steps.size() - 1);
		for (Step step : this.steps) {
			if (!step.from().isAfter(now)) {
				current = step;
			}
		}
		return current.bytesPerSecond();
	}

	@Override
	public String toString() {
		return this.text;
	}

	private static boolean isOff(String value) {
		String lower = value.trim().toLowerCase(Locale.ROOT);
		return lower.equals("off") || lower.equals("false");
	}

	private static long rate(String value, String context) {
		String size = value.trim();
		if (!size.toLowerCase(Locale.ROOT).endsWith("/s")) {
			throw new IllegalArgumentException("'" + context + "' is not a rate: " + EXAMPLE);
		}
		long bytes;
		try {
			bytes = DataSize.parse(size.substring(0, size.length() - 2).trim()).toBytes();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + context + "' is not a rate: " + EXAMPLE);
		}
		if (bytes <= 0) {
			throw new IllegalArgumentException("'" + context + "' is no rate at all: for no cap write off");
		}
		return bytes;
	}

	private static LocalTime time(String value, String context) {
		try {
			return LocalTime.parse(value.trim());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + context + "' does not start with a time of day (HH:MM): " + EXAMPLE);
		}
	}

	/**
	 * @param from the time of day this rate starts
	 * @param bytesPerSecond the cap from then on; 0 for none
	 */
	public record Step(LocalTime from, long bytesPerSecond) {
	}

}

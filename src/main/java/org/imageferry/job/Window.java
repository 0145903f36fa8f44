package org.imageferry.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The profile's {@code window}: the hours a nightly run may work, e.g. 22:00 to 06:00 in
 * {@code Europe/London}. A run started inside it works until its end; one started outside
 * starts nothing (it says when the window opens). From {@code end - drain} on no new
 * export, transfer or import starts — a task started then could not end in the window,
 * and the margin is the operator's to choose — while the tasks in flight are still
 * polled; at the end the run stops as {@code stop} stops it. Without a start, a run may
 * begin at any time and stops at the next end ({@code run --until} gives one run such an
 * end).
 *
 * @param start when the window opens (HH:MM); none: whenever a run starts
 * @param end when it closes (HH:MM), the next day when not after the start; none: no
 * window
 * @param zone the zone of both times (and of the {@code bandwidth-limit} timetable); the
 * system's by default
 * @param drain before the end, how long no new work starts
 */
public record Window(TimeOfDay start, TimeOfDay end, ZoneId zone, @DefaultValue("15m") Duration drain) {

	/** The exit code of the {@code migrate} step, and of the job, whose window closed. */
	public static final String CLOSED = "WINDOW_CLOSED";

	/** No window: a run goes on until it is done. */
	public static final Window NONE = new Window(null, null, null, Duration.ZERO);

	public Window {
		zone = (zone != null) ? zone : ZoneId.systemDefault();
		drain = (drain != null) ? drain : Duration.ZERO;
		if (drain.isNegative()) {
			throw new IllegalArgumentException("image-ferry.window.drain cannot be negative: " + drain);
		}
		if (start != null && end == null) {
			throw new IllegalArgumentException(
					"image-ferry.window.end is not set: a window that opens at " + start + " needs an end too (HH:MM)");
		}
		if (start != null && !drain.minus(length(start.time(), end.time())).isNegative()) {
			throw new IllegalArgumentException("image-ferry.window.drain of " + drain + " leaves nothing of the window "
					+ start + " to " + end + ": nothing would ever start");
		}
	}

	/** Whether runs have an end. */
	public boolean set() {
		return this.end != null;
	}

	/** This window with another end and no start: {@code run --until}. */
	public Window until(LocalTime end) {
		return new Window(null, new TimeOfDay(end), this.zone, this.drain);
	}

	/**
	 * When a run started at {@code now} must have stopped; empty when {@code now} is
	 * outside the window.
	 */
	public Optional<Deadline> deadline(Instant now) {
		if (!set()) {
			return Optional.of(Deadline.NONE);
		}
		if (this.start != null && !inside(now.atZone(this.zone).toLocalTime())) {
			return Optional.empty();
		}
		return Optional.of(new Deadline(next(this.end.time(), now), this.drain));
	}

	/** When the window next opens after {@code now}. */
	public Instant opensAfter(Instant now) {
		return (this.start != null) ? next(this.start.time(), now) : now;
	}

	private boolean inside(LocalTime time) {
		LocalTime from = this.start.time();
		LocalTime to = this.end.time();
		if (from.isBefore(to)) {
			return !time.isBefore(from) && time.isBefore(to);
		}
		return !time.isBefore(from) || time.isBefore(to);
	}

	/**
	 * The first instant after {@code now} when the clock in the zone reads {@code time}.
	 */
	private Instant next(LocalTime time, Instant now) {
		LocalDate day = now.atZone(this.zone).toLocalDate();
		Instant at = ZonedDateTime.of(day, time, this.zone).toInstant();
		while (!at.isAfter(now)) {
			day = day.plusDays(1);
			at = ZonedDateTime.of(day, time, this.zone).toInstant();
		}
		return at;
	}

	private static Duration length(LocalTime from, LocalTime to) {
		Duration length = Duration.between(from, to);
		return length.isNegative() || length.isZero() ? length.plusDays(1) : length;
	}

	@Override
	public String toString() {
		return (this.start != null ? this.start + " to " : "until ") + this.end + " " + this.zone.getId();
	}

	/**
	 * A time of day as a profile writes it, {@code HH:MM}. YAML 1.1 reads an unquoted
	 * {@code 22:00} as the base-60 number 1320: that is taken as the time it was written
	 * as ({@link #valueOf(Integer)}), so the profile need not quote it.
	 */
	public record TimeOfDay(LocalTime time) {

		private static final String EXAMPLE = "write a time of day as HH:MM, e.g. 22:00";

		private static final DateTimeFormatter HOURS_MINUTES = DateTimeFormatter.ofPattern("H:mm");

		public static TimeOfDay valueOf(String text) {
			try {
				return new TimeOfDay(LocalTime.parse(text.trim(), HOURS_MINUTES));
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("'" + text + "' is not a time of day: " + EXAMPLE);
			}
		}

		/**
		 * YAML's reading of an unquoted {@code H:MM} (hours × 60 + minutes); a plain
		 * number below 60 could not have been written as one, and is refused.
		 */
		public static TimeOfDay valueOf(Integer minutes) {
			if (minutes == null || minutes < 60 || minutes >= 24 * 60) {
				throw new IllegalArgumentException("'" + minutes + "' is not a time of day: " + EXAMPLE);
			}
			return new TimeOfDay(LocalTime.of(minutes / 60, minutes % 60));
		}

		@Override
		public String toString() {
			return this.time.toString();
		}

	}

}

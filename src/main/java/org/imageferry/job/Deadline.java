package org.imageferry.job;

import java.time.Duration;
import java.time.Instant;

/**
 * When a run's window closes: from {@link #lastStart()} on nothing new starts, at
 * {@link #end()} the run stops.
 *
 * @param end when the run stops
 * @param drain before the end, how long no new export, transfer or import starts
 */
public record Deadline(Instant end, Duration drain) {

	/** No end: the run goes on until its work is done. */
	public static final Deadline NONE = new Deadline(Instant.MAX, Duration.ZERO);

	/** When the last new work may start. */
	public Instant lastStart() {
		return this.end.minus(this.drain);
	}

	/** Whether new work may start at {@code now}. */
	public boolean allowsStarts(Instant now) {
		return now.isBefore(lastStart());
	}

	/** Whether the run must stop at {@code now}. */
	public boolean reached(Instant now) {
		return !now.isBefore(this.end);
	}

	/** Whether the run has an end at all. */
	public boolean set() {
		return !this.equals(NONE);
	}

}

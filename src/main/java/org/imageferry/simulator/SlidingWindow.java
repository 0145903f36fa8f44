package org.imageferry.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A rate limit over a sliding window, as a rate limiter in front of an API keeps one per
 * caller: at most {@code limit} admissions in any window's span. Not thread-safe: the
 * caller holds the lock of whatever the window belongs to.
 */
final class SlidingWindow {

	private final Duration span;

	/** Times of the admissions still inside the window, oldest first. */
	private final Deque<Instant> admitted = new ArrayDeque<>();

	SlidingWindow(Duration span) {
		this.span = span;
	}

	/**
	 * Admits one more at {@code now} if fewer than {@code limit} were admitted in the
	 * span before it.
	 * @return zero when admitted, else how long until the oldest admission leaves the
	 * window (and one more would be admitted)
	 */
	Duration admit(Instant now, int limit) {
		Instant start = now.minus(this.span);
		while (!this.admitted.isEmpty() && !this.admitted.peekFirst().isAfter(start)) {
			this.admitted.removeFirst();
		}
		if (this.admitted.size() >= limit) {
			int excess = this.admitted.size() - limit;
			Instant frees = this.admitted.stream().skip(excess).findFirst().orElseThrow().plus(this.span);
			return Duration.between(now, frees);
		}
		this.admitted.addLast(now);
		return Duration.ZERO;
	}

}

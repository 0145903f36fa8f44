package org.imageferry.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket for every segment copy of the process, so that the copies together
 * stream no faster than the {@link BandwidthLimit} in force: a cap per copy would let
 * {@code transfer-concurrency × segment-concurrency} copies add up to many times it.
 * <p>
 * Each buffer a copy reads is {@link #take taken} from the bucket after it is read (its
 * size is known only then): the bucket may go into debt by that buffer, and the next
 * reader waits until the debt is paid at the rate. The bucket fills at the rate up to
 * {@link #BURST} of it, so a copy that was idle (waiting for a listing, a new segment)
 * catches up by little, and it starts empty. Waiting is sleeping, at least
 * {@link #LEAST_WAIT} (what the bucket fills meanwhile lets the next buffers through, so
 * a fast cap is not thousands of wake-ups a second) and at most {@link #MOST_WAIT}, after
 * which the timetable is read again: a change of rate, or the end of the cap, takes
 * effect within a second even for a copy in deep debt.
 */
public final class BandwidthCap {

	/** How much of a second's rate the bucket holds. */
	static final Duration BURST = Duration.ofMillis(250);

	static final Duration LEAST_WAIT = Duration.ofMillis(10);

	static final Duration MOST_WAIT = Duration.ofSeconds(1);

	/** No cap: {@link #take} returns at once. */
	public static final BandwidthCap NONE = new BandwidthCap(BandwidthLimit.OFF, Clock.systemUTC(),
			TimeUnit.NANOSECONDS::sleep);

	private final BandwidthLimit limit;

	private final Clock clock;

	private final Sleeper sleeper;

	/** The rate the bucket was last filled at; 0 while there is no cap. */
	private long rate;

	/** Bytes that may stream now; negative: the debt to wait for. */
	private double tokens;

	private Instant filled;

	/**
	 * @param clock what the timetable and the filling read
	 * @param sleeper how a reader waits (a test's advances its clock)
	 */
	public BandwidthCap(BandwidthLimit limit, Clock clock, Sleeper sleeper) {
		this.limit = limit;
		this.clock = clock;
		this.sleeper = sleeper;
		this.filled = clock.instant();
	}

	/** A cap that sleeps its thread. */
	public static BandwidthCap of(BandwidthLimit limit, Clock clock) {
		return limit.off() ? NONE : new BandwidthCap(limit, clock, TimeUnit.NANOSECONDS::sleep);
	}

	/** The cap in force now, in bytes a second; 0 for none. */
	public long rateNow() {
		return this.limit.rateAt(this.clock.instant());
	}

	/**
	 * Counts bytes just read against the cap, waiting first while the bucket is in debt.
	 * @throws InterruptedException when the thread is interrupted while it waits
	 */
	public void take(long bytes) throws InterruptedException {
		if (this.limit.off()) {
			return;
		}
		while (true) {
			long wait = takeOrWait(bytes);
			if (wait == 0) {
				return;
			}
			this.sleeper.sleep(wait);
		}
	}

	/** Takes the bytes and answers 0, or answers how many nanoseconds to wait first. */
	private synchronized long takeOrWait(long bytes) {
		Instant now = this.clock.instant();
		long rate = this.limit.rateAt(now);
		if (rate == 0) {
			this.rate = 0;
			return 0;
		}
		if (this.rate == 0) {
			// a cap starts (or starts again) with an empty bucket
			this.tokens = 0;
			this.filled = now;
		}
		this.rate = rate;
		fill(now);
		if (this.tokens >= 0) {
			this.tokens -= bytes;
			return 0;
		}
		long debt = (long) Math.ceil(-this.tokens * 1e9 / rate);
		return Math.min(Math.max(debt, LEAST_WAIT.toNanos()), MOST_WAIT.toNanos());
	}

	private void fill(Instant now) {
		long nanos = Duration.between(this.filled, now).toNanos();
		if (nanos > 0) {
			double most = this.rate * (BURST.toNanos() / 1e9);
			this.tokens = Math.min(most, this.tokens + this.rate * (nanos / 1e9));
			this.filled = now;
		}
	}

	/** How a reader waits: a thread's sleep, or a test's clock moved on. */
	@FunctionalInterface
	public interface Sleeper {

		void sleep(long nanos) throws InterruptedException;

	}

}

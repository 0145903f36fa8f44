package org.imageferry.await;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.cloud.CloudException;

/**
 * How many tasks one region (of one account) accepts from this run, learned from its
 * answers to task POSTs. Rackspace documents no limit on tasks in flight or on the rate
 * of task creation, yet any task call may answer 413 Over Limit (429 from a rate limiter
 * in front): a run that only knew the profile's cap would POST every ready image again
 * each cycle and be refused again each time.
 * <p>
 * So the cap on this run's tasks in flight in the region starts at the profile's
 * ({@code tasks-in-flight-per-region}), is halved by a wave the region refuses, and grows
 * back by one after as many tasks started as the cap (a round without a refusal), never
 * above the profile's: the additive-increase, multiplicative-decrease rule that lets TCP
 * find a link's capacity. A refusal also holds the region's starts for what its
 * {@code Retry-After} asked, seconds or an HTTP-date (or for a default hold when it asked
 * nothing). While the cap is below the profile's, a wave's POSTs are made one at a time
 * and the first refusal ends it: a refusal then costs one request, not one per worker.
 */
public final class TaskThrottle {

	private static final Logger log = LoggerFactory.getLogger(TaskThrottle.class);

	private final String region;

	private final int ceiling;

	private final Duration defaultHold;

	private int cap;

	/** Tasks started since the cap last changed. */
	private int started;

	private Instant heldUntil = Instant.MIN;

	/**
	 * @param region how the logs name the region (and account)
	 * @param ceiling the profile's cap on tasks in flight in the region
	 * @param defaultHold how long a refusal without {@code Retry-After} holds the starts
	 */
	public TaskThrottle(String region, int ceiling, Duration defaultHold) {
		if (ceiling < 1) {
			throw new IllegalArgumentException("the cap on tasks in flight must be at least 1, not " + ceiling);
		}
		this.region = region;
		this.ceiling = ceiling;
		this.defaultHold = defaultHold;
		this.cap = ceiling;
	}

	/** Whether a failed POST means the region is over a limit (413 or 429). */
	public static boolean overLimit(CloudException ex) {
		return ex.status() == 413 || ex.status() == 429;
	}

	/**
	 * How many more tasks may be started now, with {@code inFlight} of this run's in
	 * flight in the region: none while a refusal holds the region.
	 */
	public synchronized int room(int inFlight, Instant now) {
		if (now.isBefore(this.heldUntil)) {
			return 0;
		}
		return Math.max(0, this.cap - inFlight);
	}

	/** The cap learned so far. */
	public synchronized int cap() {
		return this.cap;
	}

	/** Until when a refusal holds the region's starts ({@link Instant#MIN}: not held). */
	public synchronized Instant heldUntil() {
		return this.heldUntil;
	}

	/**
	 * Whether a wave's POSTs go one at a time: once the region has refused, until the cap
	 * is back at the profile's.
	 */
	public synchronized boolean oneAtATime() {
		return this.cap < this.ceiling;
	}

	/** A POST created a task. */
	public synchronized void started() {
		this.started++;
		if (this.started >= this.cap) {
			this.cap = Math.min(this.ceiling, this.cap + 1);
			this.started = 0;
		}
	}

	/**
	 * A wave was refused ({@link #overLimit}); {@code refusal} is the first refusal's
	 * answer. Counts once per wave, however many of its POSTs were refused together.
	 */
	public synchronized void refused(CloudException refusal, Instant now) {
		this.cap = Math.max(1, this.cap / 2);
		this.started = 0;
		Duration hold = (refusal.retryAfter() != null) ? refusal.retryAfter() : this.defaultHold;
		Instant until = now.plus(hold);
		if (until.isAfter(this.heldUntil)) {
			this.heldUntil = until;
		}
		log.info("{} refused a task ({}): at most {} of this run's tasks in flight there from now, none started "
				+ "before {}", this.region, refusal.getMessage(), this.cap, this.heldUntil);
	}

}

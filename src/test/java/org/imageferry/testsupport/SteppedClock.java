package org.imageferry.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it, in UTC: for the simulated cloud's time
 * (rate limits, task ends) and the product's (poll pacing, rates and ETAs), read from
 * several threads.
 */
public final class SteppedClock extends Clock {

	private volatile Instant now;

	public SteppedClock(Instant start) {
		this.now = start;
	}

	public synchronized void advance(Duration step) {
		this.now = this.now.plus(step);
	}

	public void set(Instant at) {
		this.now = at;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

}

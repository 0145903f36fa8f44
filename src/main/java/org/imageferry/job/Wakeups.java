package org.imageferry.job;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What ends the pump's wait between cycles before its next poll is due: a transfer or a
 * finishing batch that ended, or a stop.
 */
final class Wakeups {

	private final BlockingQueue<Boolean> signals = new LinkedBlockingQueue<>();

	/** Something the pump waits for happened. */
	void signal() {
		this.signals.add(Boolean.TRUE);
	}

	/** Forgets the signals so far: the cycle about to run sees what they announced. */
	void clear() {
		this.signals.clear();
	}

	/** Waits at most {@code timeout} for a signal. */
	void await(Duration timeout) {
		try {
			this.signals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package org.imageferry.cloud;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a client's deletes in each container under a rate. Cloud Files takes about 100
 * writes a second per container and answers 429 beyond it (or slows the client down), and
 * the copy's PUTs into the same container share that budget, so the clean-up takes at
 * most a part of it. A request reserves as many writes as it makes — one for a DELETE,
 * one per path of a bulk delete, whose middleware deletes each object with a request of
 * its own — and waits for its turn. The first request goes at once and the reservation is
 * paid after it: the next one waits until the writes before it fit in the rate.
 */
final class WritePacer {

	private final long nanosPerWrite;

	/** Per container, when its next write may start ({@link System#nanoTime()}). */
	private final Map<String, Long> next = new HashMap<>();

	/**
	 * @param writesPerSecond per container
	 */
	WritePacer(int writesPerSecond) {
		if (writesPerSecond <= 0) {
			throw new IllegalArgumentException("writes per second must be positive: " + writesPerSecond);
		}
		this.nanosPerWrite = TimeUnit.SECONDS.toNanos(1) / writesPerSecond;
	}

	/** How many writes fit in one second: the most a bulk delete sends at once. */
	int perSecond() {
		return (int) (TimeUnit.SECONDS.toNanos(1) / this.nanosPerWrite);
	}

	/**
	 * Waits until {@code writes} more writes to {@code container} may start.
	 * @throws CloudException (not retryable) when the thread is interrupted while waiting
	 */
	void reserve(String container, int writes) {
		long now = System.nanoTime();
		long start;
		synchronized (this) {
			Long free = this.next.get(container);
			start = (free != null && free - now > 0) ? free : now;
			this.next.put(container, start + writes * this.nanosPerWrite);
		}
		long wait = start - now;
		if (wait > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CloudException("waiting to delete in " + container + " was interrupted", 0, false, null, ex);
			}
		}
	}

}

package org.imageferry.cloud;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a client's deletes in a container under a rate once that container has pushed
 * back. Cloud Files takes about 100 writes a second per container and answers 429 beyond
 * it (or slows the client down), and the copy's PUTs into the same container share that
 * budget; but a cloud that keeps up should not wait for nothing — a run's clean-up of
 * 10,000 images would take minutes at a fixed pace. So a container's deletes go as fast
 * as they are answered until the container pushes back (a 429, or a bulk delete reporting
 * paths it could not delete for now); from then on, for the run, the clean-up takes at
 * most a part of the budget there. A request that failed otherwise (a dropped connection,
 * a 5xx) is sent again at the pace it had: one connection closed under a run used to slow
 * the rest of its clean-up to this pace. A request reserves as many writes as it makes —
 * one for a DELETE, one per path of a bulk delete, whose middleware deletes each object
 * with a request of its own — and waits for its turn. The first request goes at once and
 * the reservation is paid after it: the next one waits until the writes before it fit in
 * the rate.
 */
final class WritePacer {

	private final long nanosPerWrite;

	/**
	 * Per container that pushed back, when its next write may start
	 * ({@link System#nanoTime()}); a container not here is not paced.
	 */
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

	/**
	 * The most paths one bulk delete in {@code container} sends: {@code max} until the
	 * container pushed back, then what fits in one second.
	 */
	synchronized int batch(String container, int max) {
		return this.next.containsKey(container)
				? Math.min(max, (int) (TimeUnit.SECONDS.toNanos(1) / this.nanosPerWrite)) : max;
	}

	/**
	 * One attempt of {@code writes} writes to {@code container}: waits for its turn, then
	 * makes it; a push-back it meets (a 429: a bulk delete's paths refused for now are
	 * raised as one) paces the container from then on.
	 */
	<T> T attempt(String container, int writes, Supplier<T> write) {
		reserve(container, writes);
		try {
			return write.get();
		}
		catch (CloudException ex) {
			if (ex.status() == 429) {
				pushedBack(container);
			}
			throw ex;
		}
	}

	/**
	 * {@code container} pushed back: its deletes are paced from now on, and the next one
	 * waits a second, the window Cloud Files counts writes in.
	 */
	private synchronized void pushedBack(String container) {
		long second = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
		this.next.merge(container, second, Math::max);
	}

	/**
	 * Waits until {@code writes} more writes to {@code container} may start.
	 * @throws CloudException (not retryable) when the thread is interrupted while waiting
	 */
	private void reserve(String container, int writes) {
		long now = System.nanoTime();
		long start;
		synchronized (this) {
			Long free = this.next.get(container);
			if (free == null) {
				return;
			}
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

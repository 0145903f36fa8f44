package org.imageferry.job;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What ends the pump's wait between cycles before its next poll is due: a transfer or a
 * finishing batch that ended, or a stop.
 * <p>
 * Work signals only once its future is done ({@link #submit}): a signal sent from inside
 * the work, before its future counts as done, could wake the pump to a cycle that finds
 * nothing done and clears the signal, and what ended would wait for the next poll.
 */
final class Wakeups {

	private final BlockingQueue<Boolean> signals = new LinkedBlockingQueue<>();

	/**
	 * Runs {@code work} on {@code pool}, and signals once its future is done (with a
	 * result, an exception, or cancelled), so the cycle the signal wakes collects it.
	 */
	<T> Future<T> submit(ExecutorService pool, Callable<T> work) {
		FutureTask<T> task = new FutureTask<>(work) {

			@Override
			protected void done() {
				signal();
			}

		};
		pool.execute(task);
		return task;
	}

	/** Something the pump waits for happened. */
	void signal() {
		this.signals.add(Boolean.TRUE);
	}

	/**
	 * Forgets the signals so far: the cycle about to run sees what they announced, since
	 * each was sent after its work was done.
	 */
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

package org.imageferry.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * A few threads for the Images and Cloud Files calls of many images at once (task starts,
 * finishing): with the cloud's latency per request, one image at a time would leave a
 * wave of task slots waiting on the previous image's answers.
 */
public final class Workers implements AutoCloseable {

	private final ExecutorService pool;

	public Workers(int threads, String name) {
		this.pool = Executors.newFixedThreadPool(threads, daemon(name));
	}

	/**
	 * Threads named {@code name} that do not keep the process alive: a run that ends, or
	 * is stopped, does not wait for a worker stuck in a call.
	 */
	public static ThreadFactory daemon(String name) {
		return (r) -> {
			Thread thread = new Thread(r, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Applies {@code work} to each item concurrently and waits for all of them, answers
	 * in the items' order. The first failure (an outage, lost credentials) is rethrown
	 * once the others are done, so whatever did happen is recorded first.
	 */
	public <T, R> List<R> each(List<T> items, Function<T, R> work) {
		if (items.size() == 1) {
			return List.of(work.apply(items.get(0)));
		}
		List<Future<R>> futures = items.stream().map((item) -> this.pool.submit(() -> work.apply(item))).toList();
		List<R> results = new ArrayList<>();
		RuntimeException failure = null;
		for (Future<R> future : futures) {
			try {
				results.add(future.get());
			}
			catch (ExecutionException ex) {
				results.add(null);
				if (failure == null) {
					failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex.getCause());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting for the workers", ex);
			}
		}
		if (failure != null) {
			throw failure;
		}
		return results;
	}

	@Override
	public void close() {
		this.pool.shutdownNow();
	}

}

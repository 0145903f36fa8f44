package org.imageferry.cloud;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The one retry rule for every call to the cloud: retryable {@link CloudException}s (5xx,
 * 413 Over Limit, 429, no answer) are tried again with exponential backoff and jitter, or
 * after what a {@code Retry-After} header asked when that is longer (the backoff is part
 * of that wait, not added to it); anything else, and the last failure once the attempts
 * are spent, goes to the caller. Task POSTs are never retried here (see
 * {@link ImagesClient}): their 413s are paced by the caller, region by region.
 */
public final class Retries {

	private final RetryTemplate template;

	private final CloudObserver observer;

	/**
	 * @param maxRetries retries after the first attempt
	 * @param delay first backoff; doubled each retry up to {@code maxDelay}, with 25 %
	 * jitter
	 * @param observer hears every retry (and, through the clients, every answer)
	 */
	public Retries(int maxRetries, Duration delay, Duration maxDelay, CloudObserver observer) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(maxRetries)
			.delay(delay)
			.multiplier(2)
			.maxDelay(maxDelay)
			.jitter(delay.dividedBy(4))
			.predicate((ex) -> ex instanceof CloudException cloud && cloud.retryable())
			.build();
		this.observer = observer;
		this.template = new RetryTemplate(policy);
		this.template.setRetryListener(new RetryListener() {

			// Here, not in onRetryFailure: that is not called for the first attempt's
			// failure, and is called for the last one, after which nothing is retried.
			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
				if (retryable instanceof Call<?> call) {
					call.waitOutRetryAfter(state.getLastException());
					observer.retrying(call.region, call.getName(), state.getLastException());
				}
			}

		});
	}

	public static Retries none() {
		return new Retries(0, Duration.ofMillis(1), Duration.ofMillis(1), CloudObserver.NONE);
	}

	/** The observer the clients report their answers to. */
	public CloudObserver observer() {
		return this.observer;
	}

	/**
	 * Runs {@code action}, retrying as described. {@code what} names the call in the
	 * exception raised when it gives up.
	 */
	public <T> T call(String region, String what, Supplier<T> action) {
		try {
			return this.template.execute(new Call<>(region, what, action));
		}
		catch (RetryException ex) {
			Throwable last = ex.getCause();
			if (last instanceof CloudException cloud) {
				throw cloud;
			}
			if (last instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(what + " failed", last);
		}
	}

	public void run(String region, String what, Runnable action) {
		call(region, what, () -> {
			action.run();
			return null;
		});
	}

	/**
	 * A call to retry, knowing its region for the observer and when its last attempt
	 * failed, so a {@code Retry-After} counts from the answer that carried it.
	 */
	private static final class Call<T> implements Retryable<T> {

		private final String region;

		private final String name;

		private final Supplier<T> action;

		private long failedAt;

		Call(String region, String name, Supplier<T> action) {
			this.region = region;
			this.name = name;
			this.action = action;
		}

		@Override
		public T execute() {
			try {
				return this.action.get();
			}
			catch (RuntimeException ex) {
				this.failedAt = System.nanoTime();
				throw ex;
			}
		}

		@Override
		public String getName() {
			return this.name;
		}

		/**
		 * Sleeps what is left of the {@code Retry-After} of the last failure once the
		 * backoff has been slept.
		 */
		void waitOutRetryAfter(Throwable failure) {
			if (!(failure instanceof CloudException cloud) || cloud.retryAfter() == null) {
				return;
			}
			long left = cloud.retryAfter().toNanos() - (System.nanoTime() - this.failedAt);
			if (left <= 0) {
				return;
			}
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}

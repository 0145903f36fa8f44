package org.imageferry.cloud;

import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The one retry rule for every call to the cloud: retryable {@link CloudException}s are
 * tried again with exponential backoff and jitter, waiting at least what a
 * {@code Retry-After} header asked; anything else, and the last failure once the attempts
 * are spent, goes to the caller.
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
				honourRetryAfter(state.getLastException());
				if (retryable instanceof Call<?> call) {
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

	private static void honourRetryAfter(Throwable throwable) {
		if (throwable instanceof CloudException cloud && cloud.retryAfter() != null) {
			try {
				Thread.sleep(cloud.retryAfter().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
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

	/** A call to retry, knowing its region for the observer. */
	private record Call<T>(String region, String name, Supplier<T> action) implements Retryable<T> {

		@Override
		public T execute() {
			return this.action.get();
		}

		@Override
		public String getName() {
			return this.name;
		}

	}

}

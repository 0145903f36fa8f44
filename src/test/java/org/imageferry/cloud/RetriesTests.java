package org.imageferry.cloud;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetriesTests {

	private final List<Throwable> failures = new ArrayList<>();

	private final List<String> retriedRegions = new ArrayList<>();

	private final Retries retries = new Retries(3, Duration.ofMillis(1), Duration.ofMillis(5), new CloudObserver() {

		@Override
		public void retrying(String region, String what, Throwable failure) {
			RetriesTests.this.failures.add(failure);
			RetriesTests.this.retriedRegions.add(region);
		}

	});

	@Test
	void retriesRetryableFailuresUpToTheLimitThenRethrowsTheLast() {
		// given
		AtomicInteger attempts = new AtomicInteger();

		// when / then
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> this.retries.call("DFW", "list images", () -> {
			int attempt = attempts.incrementAndGet();
			throw CloudException.ofStatus("images", 503, "attempt " + attempt, null);
		})).withMessage("images answered HTTP 503: attempt 4");
		assertThat(attempts).hasValue(4);
		assertThat(this.failures).hasSize(3);
		assertThat(this.retriedRegions).containsOnly("DFW");
	}

	@Test
	void doesNotRetryPermanentFailures() {
		// given
		AtomicInteger attempts = new AtomicInteger();
		CloudException notFound = CloudException.ofStatus("image", 404, "no such image", null);

		// when / then
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> this.retries.call("DFW", "get image", () -> {
			attempts.incrementAndGet();
			throw notFound;
		})).isSameAs(notFound);
		assertThat(attempts).hasValue(1);
	}

	@Test
	void doesNotRetryOtherExceptions() {
		// given
		AtomicInteger attempts = new AtomicInteger();

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> this.retries.run("DFW", "parse", () -> {
			attempts.incrementAndGet();
			throw new IllegalArgumentException("bad json");
		})).withMessage("bad json");
		assertThat(attempts).hasValue(1);
	}

	@Test
	void stopsRetryingWhenAPermanentFailureFollowsTransientOnes() {
		// given
		AtomicInteger attempts = new AtomicInteger();

		// when / then
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> this.retries.call("DFW", "get image", () -> {
			if (attempts.incrementAndGet() == 1) {
				throw CloudException.ofStatus("image", 500, null, null);
			}
			throw CloudException.ofStatus("image", 403, null, null);
		})).satisfies((ex) -> assertThat(ex.status()).isEqualTo(403));
		assertThat(attempts).hasValue(2);
	}

	@Test
	void succeedsAfterTransientFailures() {
		// given
		AtomicInteger attempts = new AtomicInteger();

		// when
		String result = this.retries.call("DFW", "create task", () -> {
			if (attempts.incrementAndGet() < 3) {
				throw CloudException.retryable("connection reset", 0, null, null);
			}
			return "task-1";
		});

		// then
		assertThat(result).isEqualTo("task-1");
		assertThat(attempts).hasValue(3);
	}

	@Test
	void aRetryAfterOnTheFirstFailureIsWaitedFor() {
		// given
		AtomicInteger attempts = new AtomicInteger();
		long start = System.nanoTime();

		// when
		String result = this.retries.call("DFW", "list images", () -> {
			if (attempts.incrementAndGet() == 1) {
				throw CloudException.ofStatus("images", 429, "slow down", Duration.ofSeconds(1));
			}
			return "ok";
		});

		// then
		assertThat(result).isEqualTo("ok");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
	}

	@Test
	void aRetryAfterOnALaterFailureIsWaitedFor() {
		// given
		AtomicInteger attempts = new AtomicInteger();
		long start = System.nanoTime();

		// when
		String result = this.retries.call("DFW", "list images", () -> {
			int attempt = attempts.incrementAndGet();
			if (attempt == 1) {
				throw CloudException.ofStatus("images", 500, null, null);
			}
			if (attempt == 2) {
				throw CloudException.ofStatus("images", 413, "over limit", Duration.ofSeconds(1));
			}
			return "ok";
		});

		// then
		assertThat(result).isEqualTo("ok");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
	}

	@Test
	void theBackoffCountsTowardsARetryAfterInsteadOfAddingToIt() {
		// given: a backoff of 400 to 500 ms and a Retry-After of 700 ms
		Retries slow = new Retries(1, Duration.ofMillis(400), Duration.ofSeconds(1), CloudObserver.NONE);
		List<Long> attemptsAt = new ArrayList<>();

		// when
		slow.call("DFW", "list tasks", () -> {
			attemptsAt.add(System.nanoTime());
			if (attemptsAt.size() == 1) {
				throw CloudException.ofStatus("tasks", 413, "over limit", Duration.ofMillis(700));
			}
			return "ok";
		});

		// then: about 700 ms between the attempts, not 400 + 700
		Duration between = Duration.ofNanos(attemptsAt.get(1) - attemptsAt.get(0));
		assertThat(between).isGreaterThanOrEqualTo(Duration.ofMillis(700)).isLessThan(Duration.ofMillis(1050));
	}

	@Test
	void noneTriesOnce() {
		// given
		AtomicInteger attempts = new AtomicInteger();

		// when / then
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> Retries.none().call("DFW", "x", () -> {
			attempts.incrementAndGet();
			throw CloudException.ofStatus("x", 503, null, null);
		}));
		assertThat(attempts).hasValue(1);
	}

	@Test
	void ofStatusClassifiesStatuses() {
		for (int status : new int[] { 500, 502, 503, 504, 413, 429 }) {
			assertThat(CloudException.ofStatus("call", status, null, null).retryable()).as("HTTP %d", status).isTrue();
		}
		for (int status : new int[] { 400, 401, 403, 404, 409 }) {
			assertThat(CloudException.ofStatus("call", status, null, null).retryable()).as("HTTP %d", status).isFalse();
		}
		assertThat(CloudException.ofStatus("call", 401, null, null).unauthorized()).isTrue();
		assertThat(CloudException.ofStatus("call", 403, null, null).unauthorized()).isFalse();
		assertThat(CloudException.ofStatus("call", 404, null, null).notFound()).isTrue();
	}

	@Test
	void ofStatusKeepsStatusRetryAfterAndTheLastLineOfTheBody() {
		// given
		Duration retryAfter = Duration.ofSeconds(7);

		// when
		CloudException ex = CloudException.ofStatus("identity", 503, "<html>\n<h1>busy</h1>\n  try later  \n",
				retryAfter);

		// then
		assertThat(ex.status()).isEqualTo(503);
		assertThat(ex.retryAfter()).isEqualTo(retryAfter);
		assertThat(ex).hasMessage("identity answered HTTP 503: try later");
		assertThat(CloudException.ofStatus("identity", 400, "  ", null)).hasMessage("identity answered HTTP 400");
	}

}

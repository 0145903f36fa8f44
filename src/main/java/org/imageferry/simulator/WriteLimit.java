package org.imageferry.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cloud Files' limit on writes to one container — about 100 a second (Rackspace), set by
 * {@link Rules#containerWritesPerSecond()}, 0 for none. A write beyond the limit within
 * the last second (a sliding window, not a clock second) is refused with 429 and a
 * {@code Retry-After} of the whole seconds until the oldest write in the window leaves
 * it; a refused write does not count. What counts, per container of an account in a
 * region: an object's PUT (a copy, a manifest), POST and DELETE, and a COPY (against its
 * destination). Container requests and reads never count.
 * <p>
 * The window is measured on the cloud's clock ({@code SimulatorConfig.clock()}), so a
 * test can step through it; on a fixed clock the second never passes and a container at
 * its limit stays there.
 */
final class WriteLimit {

	private static final Duration WINDOW = Duration.ofSeconds(1);

	private final Clock clock;

	private final Supplier<Rules> rules;

	/** Per {@code region/account/container}, the times of its writes in the window. */
	private final Map<String, Deque<Instant>> writes = new HashMap<>();

	WriteLimit(Clock clock, Supplier<Rules> rules) {
		this.clock = clock;
		this.rules = rules;
	}

	/**
	 * Counts a write, or refuses it.
	 * @throws ApiError 429 with {@code Retry-After} when the container is at its limit
	 */
	void admit(String region, String account, String container) {
		Duration wait = tryAdmit(region, account, container);
		if (wait != null) {
			long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
			throw new ApiError(429, "Too Many Requests", Long.toString(seconds));
		}
	}

	/**
	 * Counts a write if the container is under its limit.
	 * @return null when counted, else how long until the container takes another write
	 */
	synchronized Duration tryAdmit(String region, String account, String container) {
		int limit = this.rules.get().containerWritesPerSecond();
		if (limit <= 0) {
			return null;
		}
		String key = region + "/" + account + "/" + container;
		Instant now = this.clock.instant();
		Deque<Instant> window = this.writes.computeIfAbsent(key, (k) -> new ArrayDeque<>());
		while (!window.isEmpty() && !window.peekFirst().plus(WINDOW).isAfter(now)) {
			window.removeFirst();
		}
		if (window.size() >= limit) {
			return Duration.between(now, window.peekFirst().plus(WINDOW));
		}
		window.addLast(now);
		return null;
	}

}

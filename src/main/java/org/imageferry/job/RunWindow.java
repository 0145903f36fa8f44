package org.imageferry.job;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;

/**
 * The window of the run this process carries out (one command, one run): the profile's,
 * or the one {@code run --until} gives it. The command opens it before the job starts and
 * the {@code migrate} step reads the deadline it fixed, so the step stops at the end the
 * command announced whenever the step itself starts.
 */
public final class RunWindow {

	private final Window profile;

	private final Clock clock;

	private volatile Window window;

	private volatile Deadline deadline;

	RunWindow(Window profile, Clock clock) {
		this.profile = profile;
		this.clock = clock;
		this.window = profile;
	}

	/**
	 * Fixes this run's deadline, now; {@code until} (may be null) replaces the profile's
	 * window by one that ends then. Empty when the run is outside its window.
	 */
	public Optional<Deadline> open(LocalTime until) {
		this.window = (until != null) ? this.profile.until(until) : this.profile;
		Optional<Deadline> opened = this.window.deadline(this.clock.instant());
		this.deadline = opened.orElse(null);
		return opened;
	}

	/** The window {@link #open} chose. */
	public Window window() {
		return this.window;
	}

	/**
	 * The deadline {@link #open} fixed; for a job started without it (tests), the
	 * profile's as of now — or now itself, outside the window.
	 */
	Deadline deadline() {
		Deadline fixed = this.deadline;
		if (fixed != null) {
			return fixed;
		}
		return this.profile.deadline(this.clock.instant()).orElse(new Deadline(this.clock.instant(), Duration.ZERO));
	}

}

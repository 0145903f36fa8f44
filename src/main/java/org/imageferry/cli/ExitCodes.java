package org.imageferry.cli;

/**
 * What image-ferry's exit status means, for cron, systemd and scripts.
 */
public final class ExitCodes {

	/** Every image of the run migrated (or already migrated). */
	public static final int MIGRATED = 0;

	/**
	 * The run failed (infrastructure — the cloud, identity or the database unreachable —
	 * or stopped) and can be restarted.
	 */
	public static final int RUN_FAILED = 1;

	/** The run completed, but some images failed or some manifest lines were invalid. */
	public static final int SOME_FAILED = 2;

	/**
	 * The run's window closed with work left (or the run was started outside it): it
	 * ended STOPPED, and the same command — the next night's — carries on. Not a failure:
	 * {@code scripts/cron-nightly} counts it as success.
	 */
	public static final int WINDOW_CLOSED = 3;

	/** Bad command line or configuration. */
	public static final int USAGE = 64;

	/** The manifest was refused as a whole. */
	public static final int MANIFEST_REFUSED = 65;

	/**
	 * Another run holds the lock of the job repository: of this data directory, or of the
	 * PostgreSQL database, from whichever host.
	 */
	public static final int LOCKED = 75;

	private ExitCodes() {
	}

}

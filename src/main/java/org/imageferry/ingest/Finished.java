package org.imageferry.ingest;

import org.imageferry.ledger.Transition;

/**
 * What finishing an imported image came to: its move to record, or the exception that
 * stopped it.
 */
public sealed interface Finished {

	/**
	 * Metadata copied (perhaps with a warning) and the exports cleaned up: the move to
	 * {@code MIGRATED}, with what the clean-up left behind.
	 */
	record Migrated(Transition transition) implements Finished {
	}

	/**
	 * The target refused what no later run could do without: the move to {@code FAILED}.
	 */
	record Failed(Transition transition) implements Finished {
	}

	/**
	 * An outage or lost credentials stopped it: nothing to record, finished again in a
	 * later cycle (or run), and the step fails once the rest is recorded.
	 */
	record Interrupted(RuntimeException cause) implements Finished {
	}

}

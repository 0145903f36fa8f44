package org.imageferry.await;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.Transition;

/**
 * What became of one attempt to start an image's task: each case says what the ledger
 * records for it and whether the task may now be running (and so takes a slot of the
 * region).
 */
public sealed interface TaskStart {

	/** Whether a task may now be running for the image: it takes a slot of the region. */
	default boolean takesSlot() {
		return this instanceof Created || this instanceof Unknown;
	}

	/** The POST created the task. */
	record Created(TaskInfo task) implements TaskStart {
	}

	/**
	 * Nothing to create: the task's result was already there (an earlier run's export);
	 * the image moves on as {@code transition} says.
	 */
	record Adopted(Transition transition) implements TaskStart {
	}

	/**
	 * The region refused for now — 413 Over Limit, 429 or 503, certainly not acted on —
	 * or the POST was not made because the region refused an earlier one of its wave
	 * ({@code answer} null): back to the previous state, tried again in a later cycle.
	 */
	record Deferred(CloudException answer) implements TaskStart {
	}

	/** Refused for this image (400, 403, another 4xx): it failed. */
	record Refused(CloudException answer) implements TaskStart {
	}

	/**
	 * The outcome is unknown: the intent stays, for the {@link TaskWatcher} to match to
	 * its task by listing, or to send back once the listing does not show it.
	 */
	record Unknown(Why why, CloudException answer) implements TaskStart {
	}

	/** Why an outcome is unknown. */
	enum Why {

		/** No answer came: a dropped connection, a timeout. */
		NO_ANSWER,
		/** The answer does not say (a 5xx): the task may have been created. */
		SERVER_ERROR,
		/**
		 * The credentials were refused: the wave's intents stay, and the step fails once
		 * the rest is recorded.
		 */
		UNAUTHORIZED

	}

}

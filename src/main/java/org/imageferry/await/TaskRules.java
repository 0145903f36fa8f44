package org.imageferry.await;

import java.time.Instant;
import java.util.Optional;

import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * What one kind of task is, in the region where it runs: how one is started for an image,
 * how it is recognised in a listing, and what its end means for the image. Everything
 * else — intents, pacing, polls, deadlines — is the same for every kind and stays in
 * {@link TaskIntent}, {@link TaskThrottle} and {@link TaskWatcher}.
 */
public interface TaskRules {

	TaskKind kind();

	/**
	 * One start: the POST that creates the row's task ({@link TaskStart.Created}), or,
	 * when the task's result is already there, the image's move instead
	 * ({@link TaskStart.Adopted}). A refused POST throws its
	 * {@link org.imageferry.cloud.CloudException}.
	 */
	TaskStart start(ImageRecord row);

	/**
	 * The input value that identifies the row's task (its {@link TaskKind#inputKey()}),
	 * to match an intent whose POST answer was lost to its task in a listing.
	 */
	Object input(ImageRecord row);

	/**
	 * Whether a listing's entry of a succeeded task says all {@link #succeeded} needs; if
	 * not, the task is read in full.
	 */
	boolean listingShowsResult();

	/** The image's move once its task succeeded. */
	Transition succeeded(ImageRecord row, TaskInfo task, Instant now);

	/**
	 * The image's move when its task can no longer be read (expired, or removed) but its
	 * result is still there; empty when nothing is left to continue from.
	 */
	Optional<Transition> vanished(ImageRecord row, Instant now);

}

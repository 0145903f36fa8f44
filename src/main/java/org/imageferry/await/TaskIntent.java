package org.imageferry.await;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;

/**
 * Creates a task exactly once. The intent (state in flight, request time) is committed
 * before the POST and the task id right after it, so a crash in between leaves a row the
 * {@link TaskWatcher} matches to its task by listing. What a failed POST means: 413 Over
 * Limit, 429 or 503 were certainly not acted on (back to the previous state, try later);
 * 400 and 403 refuse this image; anything else (500, a dropped connection) leaves the
 * outcome unknown, and the intent stays for the watcher.
 */
public final class TaskIntent {

	/** What became of one attempt. */
	public enum Started {

		/** Created, or unknown and left to the watcher. */
		STARTED,
		/**
		 * Nothing to create: the task's result was already there (an earlier run's
		 * export).
		 */
		ADOPTED,
		/** The region refused for now: try again in a later cycle. */
		DEFERRED,
		/** Refused for this image: it failed. */
		FAILED

	}

	private TaskIntent() {
	}

	public static Started start(Ledger ledger, ImageRecord record, TaskKind kind, Supplier<TaskInfo> create) {
		Map<String, Object> intent = new HashMap<>();
		intent.put(kind.requestedAtColumn(), ledger.now());
		intent.put(kind.startedAtColumn(), ledger.now());
		ledger.update(record.id(), kind.inFlight(), intent);
		try {
			TaskInfo task = create.get();
			ledger.update(record.id(), kind.inFlight(), Map.of(kind.taskIdColumn(), task.id()));
			return Started.STARTED;
		}
		catch (CloudException ex) {
			int status = ex.status();
			if (status == 413 || status == 503 || status == 429) {
				Map<String, Object> undo = new HashMap<>();
				undo.put(kind.requestedAtColumn(), null);
				ledger.update(record.id(), kind.before(), undo);
				return Started.DEFERRED;
			}
			if (ex.unauthorized()) {
				throw ex;
			}
			if (status >= 400 && status < 500) {
				ledger.fail(record.id(), kind.column() + "_REJECTED", ex.getMessage());
				return Started.FAILED;
			}
			return Started.STARTED;
		}
	}

}

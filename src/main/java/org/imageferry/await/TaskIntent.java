package org.imageferry.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * Creates tasks exactly once. The intents (state in flight, request time) are committed
 * before any POST and the task ids right after the POSTs, so a crash in between leaves
 * rows the {@link TaskWatcher} matches to their tasks by listing (an intent whose result
 * was found already there is settled the same way). A wave of starts costs two commits,
 * not two per image. What a failed POST means: 413 Over Limit, 429 or 503 were certainly
 * not acted on (back to the previous state, try later); 400 and 403 refuse this image;
 * anything else (500, a dropped connection) leaves the outcome unknown, and the intent
 * stays for the watcher. A region over its limit (413, 429) ends the wave: the POSTs not
 * yet made are not made, and the region's {@link TaskThrottle} learns of it.
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

	/** The answer of a POST not made: its wave was refused first. */
	private static final Object NOT_SENT = new Object();

	private TaskIntent() {
	}

	/**
	 * Starts one task for each row, the POSTs made concurrently by {@code workers}, or
	 * one at a time while {@code throttle} says so. {@code create} answers the task it
	 * created, or, when there is nothing to create (the task's result is already there),
	 * the image's change to record instead.
	 */
	public static List<Started> startAll(Ledger ledger, List<ImageRecord> rows, TaskKind kind,
			Function<ImageRecord, Object> create, Workers workers, TaskThrottle throttle) {
		if (rows.isEmpty()) {
			return List.of();
		}
		List<Transition> intents = new ArrayList<>();
		for (ImageRecord row : rows) {
			intents.add(Transition.taskRequested(row.id(), kind, ledger.instant()));
		}
		ledger.updateAll(intents);
		AtomicReference<CloudException> refusal = new AtomicReference<>();
		Function<ImageRecord, Object> attempt = (row) -> {
			if (refusal.get() != null) {
				return NOT_SENT;
			}
			try {
				Object answer = create.apply(row);
				if (answer instanceof TaskInfo) {
					throttle.started();
				}
				return answer;
			}
			catch (CloudException ex) {
				if (TaskThrottle.overLimit(ex)) {
					refusal.compareAndSet(null, ex);
				}
				return ex;
			}
		};
		List<Object> answers = throttle.oneAtATime() ? rows.stream().map(attempt).toList()
				: workers.each(rows, attempt);
		if (refusal.get() != null) {
			throttle.refused(refusal.get(), ledger.instant());
		}
		List<Transition> settled = new ArrayList<>();
		List<Started> outcomes = new ArrayList<>();
		CloudException unauthorized = null;
		for (int i = 0; i < rows.size(); i++) {
			ImageRecord row = rows.get(i);
			if (answers.get(i) instanceof TaskInfo task) {
				settled.add(Transition.taskCreated(row.id(), kind, task.id()));
				outcomes.add(Started.STARTED);
				continue;
			}
			if (answers.get(i) instanceof Transition adopted) {
				settled.add(adopted);
				outcomes.add(Started.ADOPTED);
				continue;
			}
			if (answers.get(i) == NOT_SENT) {
				settled.add(Transition.taskNotStarted(row.id(), kind));
				outcomes.add(Started.DEFERRED);
				continue;
			}
			CloudException ex = (CloudException) answers.get(i);
			int status = ex.status();
			if (status == 413 || status == 503 || status == 429) {
				settled.add(Transition.taskNotStarted(row.id(), kind));
				outcomes.add(Started.DEFERRED);
			}
			else if (ex.unauthorized()) {
				unauthorized = (unauthorized != null) ? unauthorized : ex;
				outcomes.add(Started.STARTED);
			}
			else if (status >= 400 && status < 500) {
				settled
					.add(Transition.failed(row.id(), kind.failureCode("REJECTED"), ex.getMessage(), ledger.instant()));
				outcomes.add(Started.FAILED);
			}
			else {
				outcomes.add(Started.STARTED);
			}
		}
		ledger.updateAll(settled);
		if (unauthorized != null) {
			throw unauthorized;
		}
		return outcomes;
	}

}

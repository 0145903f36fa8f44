package org.imageferry.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.imageferry.cloud.CloudException;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * Creates tasks exactly once. The intents (state in flight, request time) are committed
 * before any POST ({@link Ledger#updateDurably}) and the task ids recorded after the
 * POSTs (committed with the rest of the pipeline's cycle), so a crash in between leaves
 * rows the {@link TaskWatcher} matches to their tasks by listing (an intent whose result
 * was found already there is settled the same way). A wave of starts costs one commit of
 * its own, not two per image. What a failed POST means: 413 Over Limit, 429 or 503 were
 * certainly not acted on (back to the previous state, try later); 400 and 403 refuse this
 * image; anything else (500, a dropped connection) leaves the outcome unknown, and the
 * intent stays for the watcher. A region over its limit (413, 429) ends the wave: the
 * POSTs not yet made are not made, and the region's {@link TaskThrottle} learns of it.
 */
public final class TaskIntent {

	private TaskIntent() {
	}

	/**
	 * Starts one task for each row, the POSTs made concurrently by {@code workers}, or
	 * one at a time while {@code throttle} says so, and answers, in the rows' order, what
	 * became of each. {@code create} answers the task it created
	 * ({@link TaskStart.Created}), or, when there is nothing to create (the task's result
	 * is already there), the image's move to record instead ({@link TaskStart.Adopted}).
	 */
	public static List<TaskStart> startAll(Ledger ledger, List<ImageRecord> rows, TaskKind kind,
			Function<ImageRecord, TaskStart> create, Workers workers, TaskThrottle throttle) {
		if (rows.isEmpty()) {
			return List.of();
		}
		List<Transition> intents = new ArrayList<>();
		for (ImageRecord row : rows) {
			intents.add(Transition.taskRequested(row.id(), kind, ledger.instant()));
		}
		ledger.updateDurably(intents);
		AtomicReference<CloudException> refusal = new AtomicReference<>();
		Function<ImageRecord, TaskStart> attempt = (row) -> {
			if (refusal.get() != null) {
				return new TaskStart.Deferred(null);
			}
			try {
				TaskStart answer = create.apply(row);
				if (answer instanceof TaskStart.Created) {
					throttle.started();
				}
				return answer;
			}
			catch (CloudException ex) {
				if (TaskThrottle.overLimit(ex)) {
					refusal.compareAndSet(null, ex);
				}
				return failedPost(ex);
			}
		};
		List<TaskStart> outcomes = throttle.oneAtATime() ? rows.stream().map(attempt).toList()
				: workers.each(rows, attempt);
		if (refusal.get() != null) {
			throttle.refused(refusal.get(), ledger.instant());
		}
		List<Transition> settled = new ArrayList<>();
		CloudException unauthorized = null;
		for (int i = 0; i < rows.size(); i++) {
			long rowId = rows.get(i).id();
			TaskStart outcome = outcomes.get(i);
			if (outcome instanceof TaskStart.Created created) {
				settled.add(Transition.taskCreated(rowId, kind, created.task().id()));
			}
			else if (outcome instanceof TaskStart.Adopted adopted) {
				settled.add(adopted.transition());
			}
			else if (outcome instanceof TaskStart.Deferred) {
				settled.add(Transition.taskNotStarted(rowId, kind));
			}
			else if (outcome instanceof TaskStart.Refused refused) {
				settled.add(Transition.failed(rowId, kind.failureCode("REJECTED"), refused.answer().getMessage(),
						ledger.instant()));
			}
			else if (outcome instanceof TaskStart.Unknown unknown && unknown.why() == TaskStart.Why.UNAUTHORIZED
					&& unauthorized == null) {
				unauthorized = unknown.answer();
			}
		}
		ledger.updateAll(settled);
		if (unauthorized != null) {
			throw unauthorized;
		}
		return outcomes;
	}

	/** What a POST that failed means for its image. */
	private static TaskStart failedPost(CloudException ex) {
		int status = ex.status();
		if (status == 413 || status == 503 || status == 429) {
			return new TaskStart.Deferred(ex);
		}
		if (ex.unauthorized()) {
			return new TaskStart.Unknown(TaskStart.Why.UNAUTHORIZED, ex);
		}
		if (status >= 400 && status < 500) {
			return new TaskStart.Refused(ex);
		}
		return new TaskStart.Unknown((status == 0) ? TaskStart.Why.NO_ANSWER : TaskStart.Why.SERVER_ERROR, ex);
	}

}

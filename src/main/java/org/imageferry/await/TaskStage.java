package org.imageferry.await;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.StartOrder;
import org.imageferry.ledger.TaskKind;

/**
 * One kind of task in one region, everything the pipeline drives it with held together:
 * what a start is ({@link TaskRules}), the watcher that polls its tasks, the region's
 * throttle, and the gauge of its tasks in flight. The pipeline treats every stage alike;
 * what differs between an export and an import is in their rules.
 */
public final class TaskStage {

	private final Ledger ledger;

	private final TaskRules rules;

	private final Side side;

	private final TaskWatcher watcher;

	private final TaskThrottle throttle;

	private final AtomicInteger inFlightGauge;

	private final Workers workers;

	private final StartOrder order;

	/** The ledger routes whose rows the stage works on. */
	private final List<String> routes;

	/**
	 * @param routes the ledger routes whose rows the stage works on: an export stage
	 * every target's (one export serves them all), an import stage its target's
	 * @param inFlightGauge what the region's gauge of tasks in flight reads (shared by
	 * the stages of one region and account)
	 * @param workers make the POSTs of a wave several at a time
	 * @param order which of the images waiting for a task start first
	 */
	public TaskStage(Ledger ledger, List<String> routes, TaskRules rules, Side side, TaskWatcher watcher,
			TaskThrottle throttle, AtomicInteger inFlightGauge, Workers workers, StartOrder order) {
		this.ledger = ledger;
		this.routes = List.copyOf(routes);
		this.rules = rules;
		this.side = side;
		this.watcher = watcher;
		this.throttle = throttle;
		this.inFlightGauge = inFlightGauge;
		this.workers = workers;
		this.order = order;
	}

	public TaskKind kind() {
		return this.rules.kind();
	}

	/** Where the stage's tasks run. */
	public Side side() {
		return this.side;
	}

	public TaskWatcher watcher() {
		return this.watcher;
	}

	public TaskThrottle throttle() {
		return this.throttle;
	}

	/**
	 * At most {@code limit} of the run's images waiting for this stage's task, those to
	 * start first first.
	 */
	public List<ImageRecord> waiting(long run, int limit) {
		return this.ledger.images(run, this.routes, limit, kind().before(), this.order);
	}

	/** The run's images whose task of this stage is in flight. */
	public List<ImageRecord> inFlight(long run) {
		return this.ledger.images(run, this.routes, Integer.MAX_VALUE, kind().inFlight());
	}

	/** How many of the run's tasks of this stage are in flight. */
	public int countInFlight(long run) {
		return this.ledger.count(run, this.routes, kind().inFlight());
	}

	/**
	 * Starts the tasks of a wave of images; answers, in the rows' order, what became of
	 * each.
	 */
	public List<TaskStart> startAll(List<ImageRecord> rows) {
		return TaskIntent.startAll(this.ledger, rows, kind(), this.rules::start, this.workers, this.throttle);
	}

	/** Shows how many of this run's tasks are in flight in the stage's region. */
	public void showInFlight(int tasks) {
		this.inFlightGauge.set(tasks);
	}

}

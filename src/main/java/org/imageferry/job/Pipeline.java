package org.imageferry.job;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.imageferry.await.TaskRules;
import org.imageferry.await.TaskStage;
import org.imageferry.await.TaskThrottle;
import org.imageferry.await.TaskWatcher;
import org.imageferry.await.Workers;
import org.imageferry.cloud.Side;
import org.imageferry.export.ExportTasks;
import org.imageferry.ingest.Finalizer;
import org.imageferry.ingest.ImportTasks;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.StartOrder;
import org.imageferry.transfer.ObjectTransfer;

/**
 * The parts the {@link MigrationPump} drives, built for one route: the export stage in
 * the source region, the transfers, the import stage in the target region, finishing —
 * and what they share: the API workers and what wakes the pump. The pump is given these
 * ready-made and knows nothing of routes, so a pipeline of several targets is a matter of
 * building it here.
 *
 * @param wakeups signalled by the transfers and finishing batches that end
 */
record Pipeline(TaskStage exports, Transfers transfers, TaskStage imports, FinishingBatches finishing, Workers workers,
		Wakeups wakeups) {

	/** The stages in the order a cycle runs them. */
	List<TaskStage> stages() {
		return List.of(this.exports, this.imports);
	}

	static Pipeline of(Ledger ledger, MigrationRoute route, FerryProperties properties, long run,
			ObjectTransfer transfer, MeterRegistry meters) {
		Workers workers = new Workers(properties.apiConcurrency(), "api");
		Wakeups wakeups = new Wakeups();
		Map<String, AtomicInteger> gauges = new HashMap<>();
		// only exports take the profile's order: an import's image is ready when its
		// transfer ends, and the largest were exported first already
		TaskStage exports = stage(ledger, new ExportTasks(ledger, route.source()), route.source(), properties, workers,
				gauges, meters, properties.order());
		TaskStage imports = stage(ledger, new ImportTasks(route.target()), route.target(), properties, workers, gauges,
				meters, StartOrder.MANIFEST);
		Finalizer finalizer = new Finalizer(ledger, route.source(), route.target(), properties.cleanup(),
				properties.setProperties());
		FinishingBatches finishing = new FinishingBatches(ledger, run, properties.apiConcurrency() * 4, finalizer,
				workers, route.target().region(), wakeups);
		Transfers transfers = new Transfers(ledger, run, transfer, properties.transferConcurrency(), wakeups);
		return new Pipeline(exports, transfers, imports, finishing, workers, wakeups);
	}

	private static TaskStage stage(Ledger ledger, TaskRules rules, Side side, FerryProperties properties,
			Workers workers, Map<String, AtomicInteger> gauges, MeterRegistry meters, StartOrder order) {
		Duration poll = properties.pollInterval();
		TaskWatcher watcher = new TaskWatcher(ledger, rules, side, properties.taskDeadline(), poll, workers, meters);
		TaskThrottle throttle = new TaskThrottle(side.key(), properties.tasksInFlightPerRegion(), poll);
		AtomicInteger inFlight = gauges.computeIfAbsent(side.key(), (key) -> {
			AtomicInteger tasks = new AtomicInteger();
			Gauge.builder("image.ferry.tasks.in.flight", tasks, AtomicInteger::get)
				.description("Export and import tasks of this run in flight in the region and account")
				.tags(Tags.of("region", side.region(), "account", side.session().username()))
				.register(meters);
			return tasks;
		});
		return new TaskStage(ledger, rules, side, watcher, throttle, inFlight, workers, order);
	}

}

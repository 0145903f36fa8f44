package org.imageferry.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.imageferry.transfer.SegmentCopier;

/**
 * The parts the {@link MigrationPump} drives, built for a route of one source and its
 * targets: the export stage in the source region, which serves every target (one export
 * per image), and per target its transfers, its import stage and its finishing — and what
 * they share: the API workers and what wakes the pump. One target is the case of a list
 * of one. The pump is given these ready-made and knows nothing of routes.
 *
 * @param imports an import stage per target, in the profile's order
 * @param wakeups signalled by the transfers and finishing batches that end
 */
record Pipeline(TaskStage exports, Transfers transfers, List<TaskStage> imports, FinishingBatches finishing,
		Workers workers, Wakeups wakeups) {

	/** The stages in the order a cycle runs them. */
	List<TaskStage> stages() {
		List<TaskStage> stages = new ArrayList<>();
		stages.add(this.exports);
		stages.addAll(this.imports);
		return List.copyOf(stages);
	}

	static Pipeline of(Ledger runLedger, MigrationRoute route, FerryProperties properties, long run,
			SegmentCopier copier, MeterRegistry meters) {
		Ledger ledger = (route.targets().size() == 1) ? runLedger.ofOneTarget() : runLedger;
		Workers workers = new Workers(properties.apiConcurrency(), "api");
		Wakeups wakeups = new Wakeups();
		Map<String, AtomicInteger> gauges = new HashMap<>();
		// only exports take the profile's order: an import's image is ready when its
		// transfer ends, and the largest were exported first already
		TaskStage exports = stage(ledger, route.routes(), new ExportTasks(ledger, route.source()), route.source(), "",
				properties, workers, gauges, meters, properties.order());
		List<TaskStage> imports = new ArrayList<>();
		Map<String, ObjectTransfer> transfers = new LinkedHashMap<>();
		Map<String, Finalizer> finalizers = new LinkedHashMap<>();
		for (MigrationRoute.Target target : route.targets()) {
			imports.add(stage(ledger, List.of(target.route()), new ImportTasks(target.side()), target.side(),
					target.name(), properties, workers, gauges, meters, StartOrder.MANIFEST));
			transfers.put(target.route(), new ObjectTransfer(ledger, route.source(), target.side(), copier,
					properties.sizeLimit().toBytes(), properties.consistencyWait(), properties.segmentConcurrency()));
			finalizers.put(target.route(), new Finalizer(ledger, route.source(), target.side(), properties.cleanup(),
					properties.setProperties()));
		}
		FinishingBatches finishing = new FinishingBatches(ledger, run, properties.apiConcurrency() * 4, finalizers,
				workers, wakeups);
		// with workers, the copies are theirs: the pump starts none and sees their ends
		// in the ledger, the imports' poll starting the imports
		int copies = (properties.workers() > 0) ? 0 : properties.transferConcurrency();
		return new Pipeline(exports, new Transfers(ledger, run, transfers, copies, wakeups), imports, finishing,
				workers, wakeups);
	}

	/**
	 * @param target the target's name for an import stage's meters; empty for the
	 * source's
	 */
	private static TaskStage stage(Ledger ledger, List<String> routes, TaskRules rules, Side side, String target,
			FerryProperties properties, Workers workers, Map<String, AtomicInteger> gauges, MeterRegistry meters,
			StartOrder order) {
		Duration poll = properties.pollInterval();
		TaskWatcher watcher = new TaskWatcher(ledger, rules, side, properties.taskDeadline(), poll, workers, meters);
		TaskThrottle throttle = new TaskThrottle(side.key(), properties.tasksInFlightPerRegion(), poll);
		AtomicInteger inFlight = gauges.computeIfAbsent(side.key(), (key) -> {
			AtomicInteger tasks = new AtomicInteger();
			Gauge.builder("image.ferry.tasks.in.flight", tasks, AtomicInteger::get)
				.description("Export and import tasks of this run in flight in the region and account")
				.tags(Tags.of("region", side.region(), "account", side.session().username(), "target", target))
				.register(meters);
			return tasks;
		});
		return new TaskStage(ledger, routes, rules, side, watcher, throttle, inFlight, workers, order);
	}

}

package org.imageferry.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.await.TaskStart;
import org.imageferry.await.TaskThrottle;
import org.imageferry.await.TaskWatcher;
import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.export.ExportStarter;
import org.imageferry.ingest.Finalizer;
import org.imageferry.ingest.ImportStarter;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;
import org.imageferry.transfer.ObjectTransfer;
import org.imageferry.transfer.TransferFailure;

/**
 * The {@code migrate} step: a pipeline driven by the ledger. Each call is one short cycle
 * — poll the tasks in flight (one listing per region, when its poll is due), start
 * exports and imports up to the region's cap, hand exported images to the transfer pool,
 * finish imported ones — and returns {@code CONTINUABLE} until every image of the run is
 * migrated or failed. So the first transfer starts as soon as the first export ends,
 * imports start as transfers end, and a slot freed anywhere is refilled at once. The cap
 * of each region is the profile's until the region refuses a task: then it is learned
 * ({@link TaskThrottle}). All progress is in the ledger; a restarted step simply
 * continues from it. Between cycles the step waits in {@link #pause()}, outside any
 * transaction.
 */
public class MigrationPump implements StoppableTasklet, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(MigrationPump.class);

	private final Ledger ledger;

	private final MigrationRoute route;

	private final FerryProperties properties;

	private final long run;

	private final ExportStarter exports;

	private final ImportStarter imports;

	private final TaskWatcher exportWatcher;

	private final TaskWatcher importWatcher;

	private final TaskThrottle exportThrottle;

	private final TaskThrottle importThrottle;

	private final ObjectTransfer transfer;

	private final ExecutorService pool;

	/** Make the API calls of task starts and finishing, several images at a time. */
	private final Workers workers;

	private static final ImageState[] OPEN = Arrays.stream(ImageState.values())
		.filter((s) -> !s.terminal())
		.toArray(ImageState[]::new);

	private final Map<Long, Future<Transition>> running = new HashMap<>();

	private final BlockingQueue<Long> completions = new LinkedBlockingQueue<>();

	private boolean firstCycle = true;

	private volatile boolean stopped;

	private final Map<String, AtomicInteger> tasksInFlight = new HashMap<>();

	private final FinishingBatches finishing;

	public MigrationPump(Ledger ledger, MigrationRoute route, FerryProperties properties, long run,
			ObjectTransfer transfer, MeterRegistry meters) {
		this.ledger = ledger;
		this.route = route;
		this.properties = properties;
		this.run = run;
		this.transfer = transfer;
		this.exports = new ExportStarter(ledger, route.source());
		this.imports = new ImportStarter(ledger, route.target());
		this.workers = new Workers(properties.apiConcurrency(), "api");
		Duration poll = properties.pollInterval();
		this.exportWatcher = new TaskWatcher(ledger, TaskKind.EXPORT, route.source(), properties.taskDeadline(), poll,
				ImageRecord::sourceImageId, this.workers, meters);
		this.importWatcher = new TaskWatcher(ledger, TaskKind.IMPORT, route.target(), properties.taskDeadline(), poll,
				(row) -> route.target().location(row.sourceImageId()), this.workers, meters);
		this.exportThrottle = new TaskThrottle(route.source().key(), properties.tasksInFlightPerRegion(), poll);
		this.importThrottle = new TaskThrottle(route.target().key(), properties.tasksInFlightPerRegion(), poll);
		for (var side : List.of(route.source(), route.target())) {
			this.tasksInFlight.computeIfAbsent(side.key(), (key) -> {
				AtomicInteger inFlight = new AtomicInteger();
				Gauge.builder("image.ferry.tasks.in.flight", inFlight, AtomicInteger::get)
					.description("Export and import tasks of this run in flight in the region and account")
					.tags(Tags.of("region", side.region(), "account", side.session().username()))
					.register(meters);
				return inFlight;
			});
		}
		this.finishing = new FinishingBatches(ledger, run, properties.apiConcurrency() * 4,
				new Finalizer(ledger, route.source(), route.target(), properties.cleanup(), properties.setProperties()),
				this.workers, route.target().region(), () -> this.completions.add(-1L));
		this.pool = Executors.newFixedThreadPool(properties.transferConcurrency(), Workers.daemon("transfer"));
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		if (this.stopped) {
			// the step ends STOPPED at its next interruption check; FINISHED would
			// complete it with work left
			return RepeatStatus.CONTINUABLE;
		}
		boolean first = this.firstCycle;
		this.firstCycle = false;
		// Each stage runs when what feeds it may have changed: exports after their poll
		// (or on the first cycle, which picks up a restart), imports also when a transfer
		// ended, finishing also when its batch ended. Export slots come first: they pace
		// the whole run. Each region's poll is due on its own pace (see TaskWatcher).
		boolean exportsPolled = poll(this.exportWatcher, ImageState.EXPORTING);
		if (exportsPolled || first) {
			startTasks(TaskKind.EXPORT);
		}
		boolean transfersEnded = moveTransfers();
		boolean importsPolled = poll(this.importWatcher, ImageState.IMPORTING);
		if (importsPolled || first || transfersEnded) {
			startTasks(TaskKind.IMPORT);
		}
		boolean polled = exportsPolled || importsPolled;
		if (polled) {
			ExecutionContext context = contribution.getStepExecution().getExecutionContext();
			this.exportWatcher.saveTo(context);
			this.importWatcher.saveTo(context);
		}
		if (polled || first || this.finishing.batchEnded()) {
			this.finishing.advance(!this.stopped);
		}
		if (polled || first) {
			this.tasksInFlight.get(this.route.source().key()).set(inFlight(TaskKind.EXPORT));
			this.tasksInFlight.get(this.route.target().key()).set(inFlight(TaskKind.IMPORT));
		}
		if (this.running.isEmpty() && this.finishing.idle() && !this.ledger.any(this.run, OPEN)) {
			shutDown();
			return RepeatStatus.FINISHED;
		}
		return RepeatStatus.CONTINUABLE;
	}

	/** Polls the tasks a watcher follows if its poll is due; answers whether it was. */
	private boolean poll(TaskWatcher watcher, ImageState inFlight) {
		if (!watcher.isDue()) {
			return false;
		}
		watcher.poll(this.ledger.images(this.run, inFlight));
		return true;
	}

	/**
	 * Starts tasks of a kind while its region has room, in manifest order, several at a
	 * time.
	 */
	private void startTasks(TaskKind kind) {
		TaskThrottle throttle = (kind == TaskKind.EXPORT) ? this.exportThrottle : this.importThrottle;
		int room = throttle.room(inFlight(kind), this.ledger.instant());
		while (room > 0 && !this.stopped) {
			List<ImageRecord> next = this.ledger.images(this.run, room, kind.before());
			if (next.isEmpty()) {
				return;
			}
			boolean more = next.size() == room;
			List<TaskStart> outcomes = (kind == TaskKind.EXPORT) ? this.exports.startAll(next, this.workers, throttle)
					: this.imports.startAll(next, this.workers, throttle);
			for (int i = 0; i < next.size(); i++) {
				if (outcomes.get(i).takesSlot()) {
					room--;
					log.info("{} of {} started", kind.type(), next.get(i).sourceImageId());
				}
			}
			if (outcomes.stream().anyMatch(TaskStart.Deferred.class::isInstance)) {
				// over a limit (the throttle has logged how it adapts) or unavailable
				return;
			}
			if (!more) {
				// fewer waited than there was room for: none is left
				return;
			}
		}
	}

	/**
	 * Tasks of this run in flight in the region (and account) where {@code kind}'s tasks
	 * run.
	 */
	private int inFlight(TaskKind kind) {
		String side = (kind == TaskKind.EXPORT) ? this.route.source().key() : this.route.target().key();
		int count = 0;
		if (this.route.source().key().equals(side)) {
			count += this.ledger.count(this.run, ImageState.EXPORTING);
		}
		if (this.route.target().key().equals(side)) {
			count += this.ledger.count(this.run, ImageState.IMPORTING);
		}
		return count;
	}

	/**
	 * Takes in the transfers that ended and starts new ones in free slots, recording both
	 * in one commit (what ended, and the new ones marked {@code TRANSFERRING} before any
	 * byte moves); answers whether any ended. One that failed for the infrastructure
	 * fails the step (restart resumes) once the rest is recorded.
	 */
	private boolean moveTransfers() {
		this.completions.clear();
		var done = this.running.entrySet().stream().filter((e) -> e.getValue().isDone()).toList();
		List<Transition> changes = new ArrayList<>();
		RuntimeException failure = null;
		for (var entry : done) {
			this.running.remove(entry.getKey());
			try {
				Transition change = entry.getValue().get();
				if (change != null) {
					changes.add(change);
				}
			}
			catch (ExecutionException ex) {
				failure = (failure != null) ? failure : (ex.getCause() instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		List<ImageRecord> starting = (failure != null) ? List.of() : transfersToStart(done);
		starting.forEach((row) -> changes.add(this.transfer.start(row)));
		this.ledger.updateAll(changes);
		if (failure != null) {
			shutDown();
			throw failure;
		}
		for (ImageRecord row : starting) {
			log.info("transfer of {} started", row.sourceImageId());
			this.running.put(row.id(), this.pool.submit(() -> transferOne(row)));
		}
		return !done.isEmpty();
	}

	/**
	 * Images to transfer in the free slots, resumed ones first; not those running, nor
	 * those whose end is not recorded yet.
	 */
	private List<ImageRecord> transfersToStart(List<? extends Map.Entry<Long, ?>> ended) {
		int free = this.properties.transferConcurrency() - this.running.size();
		if (free <= 0 || this.stopped) {
			return List.of();
		}
		Set<Long> busy = new HashSet<>(this.running.keySet());
		ended.forEach((e) -> busy.add(e.getKey()));
		int wanted = busy.size() + free;
		List<ImageRecord> ready = new ArrayList<>(this.ledger.images(this.run, wanted, ImageState.TRANSFERRING));
		ready.addAll(this.ledger.images(this.run, wanted, ImageState.EXPORTED));
		return ready.stream().filter((row) -> !busy.contains(row.id())).limit(free).toList();
	}

	/**
	 * One image's transfer; answers its new state for the pump to commit with the other
	 * transfers that ended (null when stopped).
	 */
	private Transition transferOne(ImageRecord row) {
		try {
			Transition transferred = this.transfer.transfer(row);
			log.info("transfer of {} done", row.sourceImageId());
			return transferred;
		}
		catch (TransferFailure ex) {
			return Transition.failed(row.id(), ex.code(), ex.getMessage(), this.ledger.instant());
		}
		catch (CloudException ex) {
			if (this.stopped || Thread.currentThread().isInterrupted()) {
				return null;
			}
			if (ex.retryable() || ex.unauthorized() || ex.status() == 0) {
				throw ex;
			}
			return Transition.failed(row.id(), "TRANSFER_FAILED", ex.getMessage(), this.ledger.instant());
		}
		finally {
			this.completions.add(row.id());
		}
	}

	/**
	 * Waits for the next thing to do: the next poll, or a transfer ending, whichever
	 * comes first. Called between cycles, outside the step's transaction.
	 */
	public void pause() {
		Instant exports = this.exportWatcher.due();
		Instant imports = this.importWatcher.due();
		Instant nextPoll = exports.isBefore(imports) ? exports : imports;
		Instant now = this.ledger.instant();
		if (!nextPoll.isAfter(now) || this.stopped) {
			return;
		}
		try {
			this.completions.poll(Duration.between(now, nextPoll).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		this.stopped = true;
		shutDown();
		this.completions.add(-1L);
	}

	/** A restarted step keeps the pace of the one it restarts. */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.exportWatcher.restoreFrom(stepExecution.getExecutionContext());
		this.importWatcher.restoreFrom(stepExecution.getExecutionContext());
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		shutDown();
		return stepExecution.getExitStatus();
	}

	/** Stops every thread of the step; work under way is interrupted. */
	private void shutDown() {
		this.pool.shutdownNow();
		this.finishing.close();
		this.workers.close();
		this.transfer.close();
	}

}

package org.imageferry.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

import org.imageferry.await.TaskStage;
import org.imageferry.await.TaskStart;
import org.imageferry.await.Workers;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;

/**
 * The {@code migrate} step: a pipeline driven by the ledger. Each call is one short cycle
 * — poll the tasks in flight (one listing per region, when its poll is due), start
 * exports and imports up to the region's cap, hand exported images to the transfer pool,
 * finish imported ones — and returns {@code CONTINUABLE} until every image of the run is
 * migrated or failed. So the first transfer starts as soon as the first export ends,
 * imports start as transfers end, and a slot freed anywhere is refilled at once. The cap
 * of each region is the profile's until the region refuses a task: then it is learned
 * ({@link org.imageferry.await.TaskThrottle}). All progress is in the ledger; a restarted
 * step simply continues from it. Between cycles the step waits in {@link #pause()},
 * outside any transaction.
 * <p>
 * The pump is given its parts ready-made ({@link Pipeline}): a stage per kind of task
 * (what differs between exports and imports is in the stage), the transfers and
 * finishing. It knows nothing of routes and never asks which kind a stage is.
 * <p>
 * A run with a {@link Deadline} (the profile's {@code window}, or {@code run --until})
 * starts no new export, transfer or import from {@link Deadline#lastStart()} on, but
 * keeps polling the tasks in flight and finishing what they import. At the end — or
 * sooner, once nothing is in flight and nothing may start — it stops as {@code stop}
 * stops it, but gentler with copies: each finishes the segment it is copying (so no
 * segment is sent twice) and starts no other; then the step ends {@code STOPPED} with the
 * exit code {@link Window#CLOSED}. The next run carries on from the ledger.
 */
public class MigrationPump implements StoppableTasklet, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(MigrationPump.class);

	/** The longest an image waits for others to share its wave ({@link #startTasks}). */
	static final Duration WAVE_WAIT = Duration.ofSeconds(1);

	/** While the window closes, how long a pause lasts at most without a copy ending. */
	private static final Duration CLOSING_RECHECK = Duration.ofSeconds(1);

	private static final ImageState[] OPEN = Arrays.stream(ImageState.values())
		.filter((s) -> !s.terminal())
		.toArray(ImageState[]::new);

	private final Ledger ledger;

	private final long run;

	private final TaskStage exports;

	/** An import stage per target. */
	private final List<TaskStage> imports;

	/** Every stage, in the order a cycle runs them. */
	private final List<TaskStage> stages;

	private final Transfers transfers;

	private final FinishingBatches finishing;

	/** Make the API calls of task starts and finishing, several images at a time. */
	private final Workers workers;

	private final Wakeups wakeups;

	private boolean firstCycle = true;

	/**
	 * Per stage whose images wait for a fuller wave, when they stop waiting
	 * ({@link #startTasks}).
	 */
	private final Map<TaskStage, Instant> waveDue = new HashMap<>();

	private volatile boolean stopped;

	private final Deadline deadline;

	/** Set once the deadline is reached: the copies are finishing their segment. */
	private boolean closing;

	/** Set once the window closed and the step is to end STOPPED. */
	private volatile boolean windowClosed;

	MigrationPump(Ledger ledger, long run, Pipeline pipeline, Deadline deadline) {
		this.ledger = ledger;
		this.run = run;
		this.exports = pipeline.exports();
		this.imports = pipeline.imports();
		this.stages = pipeline.stages();
		this.transfers = pipeline.transfers();
		this.finishing = pipeline.finishing();
		this.workers = pipeline.workers();
		this.wakeups = pipeline.wakeups();
		this.deadline = deadline;
	}

	/**
	 * One cycle, its ledger writes committed together at its end, or sooner where they
	 * must be on disk first: the intents before their POSTs, the transfers before their
	 * copies ({@link Ledger#gathered}).
	 */
	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		return this.ledger.gathered(() -> cycle(contribution));
	}

	private RepeatStatus cycle(StepContribution contribution) {
		if (this.stopped) {
			// the step ends STOPPED at its next interruption check; FINISHED would
			// complete it with work left
			return RepeatStatus.CONTINUABLE;
		}
		Instant now = this.ledger.instant();
		if (this.closing || this.deadline.reached(now)) {
			return closeWindow(contribution);
		}
		boolean starts = this.deadline.allowsStarts(now);
		if (!starts) {
			this.waveDue.clear();
		}
		boolean first = this.firstCycle;
		this.firstCycle = false;
		// Each stage runs when what feeds it may have changed: exports after their poll
		// (or on the first cycle, which picks up a restart), imports also when a transfer
		// ended or their wave's wait did (see startTasks), finishing also when its batch
		// ended. Export slots come first: they pace the whole run. Each region's poll is
		// due on its own pace (see TaskWatcher).
		boolean exportsPolled = poll(this.exports);
		if (starts && (exportsPolled || first)) {
			startTasks(this.exports, false);
		}
		boolean transfersEnded = moveTransfers(!starts);
		boolean importsPolled = false;
		for (TaskStage stage : this.imports) {
			boolean polled = poll(stage);
			boolean waited = !now.isBefore(this.waveDue.getOrDefault(stage, Instant.MAX));
			if (starts && (polled || first || transfersEnded || waited)) {
				// while copies run, more images are about to wait for an import
				startTasks(stage, !this.transfers.idle());
			}
			importsPolled |= polled;
		}
		boolean polled = exportsPolled || importsPolled;
		if (polled) {
			ExecutionContext context = contribution.getStepExecution().getExecutionContext();
			this.stages.forEach((stage) -> stage.watcher().saveTo(context));
		}
		if (polled || first || this.finishing.batchEnded()) {
			this.finishing.advance(!this.stopped);
		}
		if (polled || first) {
			this.stages.forEach((stage) -> stage.showInFlight(inFlight(stage)));
		}
		if (this.transfers.idle() && this.finishing.idle() && !this.ledger.any(this.run, OPEN)) {
			shutDown();
			return RepeatStatus.FINISHED;
		}
		if (!starts && nothingInFlight()) {
			log.info("nothing in flight and nothing may start before the window closes at {}: stopping now",
					this.deadline.end());
			return closeWindow(contribution);
		}
		return RepeatStatus.CONTINUABLE;
	}

	/**
	 * The window closed: the copies finish the segment they are copying and start no
	 * other; once they have (recorded as they end, a later cycle woken by each), the step
	 * is told to end STOPPED, its tasks in flight left recorded for the next run.
	 */
	private RepeatStatus closeWindow(StepContribution contribution) {
		if (!this.closing) {
			this.closing = true;
			log.info("the window closed at {}: no new work starts, copies stop at the end of their segment",
					this.deadline.end());
			this.transfers.finishSegments();
		}
		moveTransfers(true);
		if (!this.transfers.idle()) {
			return RepeatStatus.CONTINUABLE;
		}
		this.windowClosed = true;
		this.stopped = true;
		shutDown();
		// the step's next interruption check ends it STOPPED, as a stop request does
		contribution.getStepExecution().setTerminateOnly();
		return RepeatStatus.CONTINUABLE;
	}

	/**
	 * Whether nothing of the run is under way: no task in flight, no copy, no finishing
	 * to do.
	 */
	private boolean nothingInFlight() {
		return this.transfers.idle() && this.finishing.idle() && !this.ledger.any(this.run, ImageState.IMPORTED)
				&& this.stages.stream().allMatch((stage) -> stage.countInFlight(this.run) == 0);
	}

	/**
	 * Polls the tasks a stage's watcher follows if its poll is due; answers whether it
	 * was.
	 */
	private boolean poll(TaskStage stage) {
		if (!stage.watcher().isDue()) {
			return false;
		}
		stage.watcher().poll(stage.inFlight(this.run));
		return true;
	}

	/**
	 * Starts a stage's tasks while its region has room, in the stage's order, several at
	 * a time. When {@code moreToCome} (images about to wait for the stage), a wave that
	 * would fill less than half the room waits for them, up to {@link #WAVE_WAIT}: each
	 * wave's intents cost a write to disk (see {@link org.imageferry.await.TaskIntent}),
	 * which one image at a time, as copies end, made the largest part of the pipeline's
	 * own work at scale (1,389 waves of 2.9 imports each for 4,000 images).
	 */
	private void startTasks(TaskStage stage, boolean moreToCome) {
		Instant due = this.waveDue.remove(stage);
		int room = stage.throttle().room(inFlight(stage), this.ledger.instant());
		while (room > 0 && !this.stopped) {
			List<ImageRecord> next = stage.waiting(this.run, room);
			if (next.isEmpty()) {
				return;
			}
			Instant now = this.ledger.instant();
			if (moreToCome && 2 * next.size() < room) {
				due = (due != null) ? due : now.plus(WAVE_WAIT);
				if (now.isBefore(due)) {
					this.waveDue.put(stage, due);
					return;
				}
			}
			boolean more = next.size() == room;
			List<TaskStart> outcomes = stage.startAll(next);
			for (int i = 0; i < next.size(); i++) {
				if (outcomes.get(i).takesSlot()) {
					room--;
					log.info("{} of {} started", stage.kind().type(), next.get(i).sourceImageId());
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
	 * Tasks of this run in flight in the region (and account) where {@code stage}'s tasks
	 * run: its own, and those of any other stage there.
	 */
	private int inFlight(TaskStage stage) {
		int count = 0;
		for (TaskStage other : this.stages) {
			if (other.side().key().equals(stage.side().key())) {
				count += other.countInFlight(this.run);
			}
		}
		return count;
	}

	/**
	 * Records the transfers that ended and starts new ones (see {@link Transfers#move});
	 * answers whether any ended. One that failed for the infrastructure fails the step
	 * (restart resumes) once the rest is recorded.
	 */
	private boolean moveTransfers(boolean noneNew) {
		try {
			return this.transfers.move(this.stopped || noneNew);
		}
		catch (RuntimeException ex) {
			shutDown();
			throw ex;
		}
	}

	/**
	 * Waits for the next thing to do: the next poll, a wave's wait ending, or a transfer
	 * ending, whichever comes first — once the window closed, a copy ending its segment.
	 * Called between cycles, outside the step's transaction.
	 */
	public void pause() {
		if (this.closing && !this.stopped) {
			// only the copies finishing their segment are waited for: no poll is made
			// any more, so one due would end every pause at once
			this.wakeups.await(CLOSING_RECHECK);
			return;
		}
		Instant nextPoll = Stream
			.concat(this.stages.stream().map((stage) -> stage.watcher().due()), this.waveDue.values().stream())
			.min(Instant::compareTo)
			.orElse(Instant.MIN);
		Instant now = this.ledger.instant();
		// the window's instants end a pause as a poll does
		Instant next = earliest(earliest(nextPoll, after(this.deadline.lastStart(), now)),
				after(this.deadline.end(), now));
		if (!next.isAfter(now) || this.stopped) {
			return;
		}
		this.wakeups.await(Duration.between(now, next));
	}

	private static Instant after(Instant at, Instant now) {
		return at.isAfter(now) ? at : Instant.MAX;
	}

	private static Instant earliest(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	@Override
	public void stop() {
		this.stopped = true;
		shutDown();
		this.wakeups.signal();
	}

	/** A restarted step keeps the pace of the one it restarts. */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stages.forEach((stage) -> stage.watcher().restoreFrom(stepExecution.getExecutionContext()));
	}

	/**
	 * A step stopped because its window closed says so in its exit code
	 * ({@link Window#CLOSED}), which the command reads.
	 */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		shutDown();
		if (this.windowClosed) {
			return new ExitStatus(Window.CLOSED, "the window closed at " + this.deadline.end());
		}
		return stepExecution.getExitStatus();
	}

	/** Stops every thread of the step; work under way is interrupted. */
	private void shutDown() {
		this.transfers.close();
		this.finishing.close();
		this.workers.close();
	}

}

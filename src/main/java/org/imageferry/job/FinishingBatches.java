package org.imageferry.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.ingest.Finalizer;
import org.imageferry.ingest.Finished;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;

/**
 * Finishing beside the pipeline's cycles, one batch of imported images at a time, on its
 * own thread: its patches and deletes do not hold up task starts and polls. The cycle
 * that sees a batch end records it in one commit and hands over the next. A batch may
 * hold rows of every target, each finished by its target's {@link Finalizer}; the
 * source's export of an image is deleted by the finishing of the last of its targets
 * ({@link Ledger#lastOfTheirImage}), asked on the pump's thread when the batch is handed
 * over, after the batch before it is recorded.
 */
final class FinishingBatches implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FinishingBatches.class);

	private final Ledger ledger;

	private final long run;

	private final int batchSize;

	/** Each target's finishing, by its route. */
	private final Map<String, Finalizer> finalizers;

	private final Workers workers;

	/** Woken when a batch ends, once its future is done. */
	private final Wakeups wakeups;

	private final ExecutorService thread = Executors.newSingleThreadExecutor(Workers.daemon("finish"));

	/** The batch being finished, if any, and its rows. */
	private Future<List<Finished>> batch;

	private List<ImageRecord> rows = List.of();

	FinishingBatches(Ledger ledger, long run, int batchSize, Map<String, Finalizer> finalizers, Workers workers,
			Wakeups wakeups) {
		this.ledger = ledger;
		this.run = run;
		this.batchSize = batchSize;
		this.finalizers = Map.copyOf(finalizers);
		this.workers = workers;
		this.wakeups = wakeups;
	}

	/** Whether no batch is under way. */
	boolean idle() {
		return this.batch == null;
	}

	/** Whether the batch under way has ended and waits to be recorded. */
	boolean batchEnded() {
		return this.batch != null && this.batch.isDone();
	}

	/**
	 * Records the batch that ended, if any (what failed for the infrastructure fails the
	 * step after the rest is recorded), then, unless one is still under way or
	 * {@code handOver} is false, starts the next.
	 */
	void advance(boolean handOver) {
		if (this.batch != null) {
			if (!this.batch.isDone()) {
				return;
			}
			List<Finished> finished;
			try {
				finished = this.batch.get();
			}
			catch (ExecutionException ex) {
				throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.batch = null;
			}
			record(finished);
		}
		List<ImageRecord> imported = handOver ? this.ledger.images(this.run, this.batchSize, ImageState.IMPORTED)
				: List.of();
		if (!imported.isEmpty()) {
			this.rows = imported;
			Set<Long> releasing = this.ledger.lastOfTheirImage(this.run, imported);
			this.batch = this.wakeups.submit(this.thread, () -> finishAll(imported, releasing));
		}
	}

	/** Finishes each target's rows of the batch; answers in the rows' order. */
	private List<Finished> finishAll(List<ImageRecord> rows, Set<Long> releasing) {
		Map<String, List<ImageRecord>> byRoute = rows.stream()
			.collect(Collectors.groupingBy(ImageRecord::route, LinkedHashMap::new, Collectors.toList()));
		Map<Long, Finished> outcomes = new HashMap<>();
		byRoute.forEach((route, group) -> {
			List<Finished> finished = this.finalizers.get(route).finishAll(group, releasing, this.workers);
			for (int i = 0; i < group.size(); i++) {
				outcomes.put(group.get(i).id(), finished.get(i));
			}
		});
		return rows.stream().map((row) -> outcomes.get(row.id())).toList();
	}

	private void record(List<Finished> finished) {
		List<Transition> moves = new ArrayList<>();
		RuntimeException interrupted = null;
		for (Finished outcome : finished) {
			if (outcome instanceof Finished.Migrated migrated) {
				moves.add(migrated.transition());
			}
			else if (outcome instanceof Finished.Failed failed) {
				moves.add(failed.transition());
			}
			else if (outcome instanceof Finished.Interrupted stopped && interrupted == null) {
				interrupted = stopped.cause();
			}
		}
		this.ledger.updateAll(moves);
		for (int i = 0; i < this.rows.size(); i++) {
			if (finished.get(i) instanceof Finished.Migrated) {
				log.info("{} migrated to {} ({})", this.rows.get(i).sourceImageId(), this.rows.get(i).targetImageId(),
						this.rows.get(i).route());
			}
		}
		if (interrupted != null) {
			throw interrupted;
		}
	}

	/** Stops the finishing thread; a batch under way is interrupted. */
	@Override
	public void close() {
		this.thread.shutdownNow();
	}

}

package org.imageferry.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * that sees a batch end records it in one commit and hands over the next.
 */
final class FinishingBatches implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FinishingBatches.class);

	private final Ledger ledger;

	private final long run;

	private final int batchSize;

	private final Finalizer finalizer;

	private final Workers workers;

	private final String region;

	/** Woken when a batch ends, once its future is done. */
	private final Wakeups wakeups;

	private final ExecutorService thread = Executors.newSingleThreadExecutor(Workers.daemon("finish"));

	/** The batch being finished, if any, and its rows. */
	private Future<List<Finished>> batch;

	private List<ImageRecord> rows = List.of();

	FinishingBatches(Ledger ledger, long run, int batchSize, Finalizer finalizer, Workers workers, String region,
			Wakeups wakeups) {
		this.ledger = ledger;
		this.run = run;
		this.batchSize = batchSize;
		this.finalizer = finalizer;
		this.workers = workers;
		this.region = region;
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
			this.batch = this.wakeups.submit(this.thread, () -> this.finalizer.finishAll(imported, this.workers));
		}
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
				log.info("{} migrated to {} in {}", this.rows.get(i).sourceImageId(), this.rows.get(i).targetImageId(),
						this.region);
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

package org.imageferry.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;
import org.imageferry.transfer.ObjectTransfer;

/**
 * The pipeline's transfers: up to {@code concurrency} images moved at a time on their own
 * threads, each one's end recorded by the cycle that sees it, together with the others
 * that ended and the new ones started in the freed slots. One pool for every target: an
 * image's export is copied to each of its targets, each copy a transfer of its own (the
 * row of that target), made by the target's {@link ObjectTransfer}.
 */
final class Transfers implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Transfers.class);

	private final Ledger ledger;

	private final long run;

	/** Each target's transfer, by its route. */
	private final Map<String, ObjectTransfer> transfers;

	private final int concurrency;

	private final Wakeups wakeups;

	private final ExecutorService pool;

	private final Map<Long, Future<Transition>> running = new HashMap<>();

	/**
	 * Set once the transfers are stopped, or told to finish their segment: what fails
	 * after that is not an outcome.
	 */
	private volatile boolean closed;

	/**
	 * @param concurrency images copied at a time; 0 when workers copy them (the profile's
	 * {@code workers}): none is started here
	 */
	Transfers(Ledger ledger, long run, Map<String, ObjectTransfer> transfers, int concurrency, Wakeups wakeups) {
		this.ledger = ledger;
		this.run = run;
		this.transfers = Map.copyOf(transfers);
		this.concurrency = concurrency;
		this.wakeups = wakeups;
		this.pool = Executors.newFixedThreadPool(Math.max(1, concurrency), Workers.daemon("transfer"));
	}

	/** Whether no transfer is under way. */
	boolean idle() {
		return this.running.isEmpty();
	}

	/**
	 * Takes in the transfers that ended and starts new ones in free slots (none when
	 * {@code stopped}), recording both together (what ended, and the new ones marked
	 * {@code TRANSFERRING}, committed before any byte moves); answers whether any ended.
	 * One that failed for the infrastructure is thrown (restart resumes) once the rest is
	 * recorded.
	 */
	boolean move(boolean stopped) {
		this.wakeups.clear();
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
		List<ImageRecord> starting = (failure != null || stopped) ? List.of() : toStart(done);
		starting.forEach((row) -> changes.add(transfer(row).start(row)));
		if (starting.isEmpty()) {
			this.ledger.updateAll(changes);
		}
		else {
			// committed before the copies start: a copy's progress is written beside it
			this.ledger.updateVisibly(changes);
		}
		if (failure != null) {
			throw failure;
		}
		for (ImageRecord row : starting) {
			log.info("transfer of {} started", row.sourceImageId());
			this.running.put(row.id(), this.wakeups.submit(this.pool, () -> transferOne(row)));
		}
		return !done.isEmpty();
	}

	/**
	 * Images to transfer in the free slots, resumed ones first; not those running, nor
	 * those whose end is not recorded yet.
	 */
	private List<ImageRecord> toStart(List<? extends Map.Entry<Long, ?>> ended) {
		int free = this.concurrency - this.running.size();
		if (free <= 0) {
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
	 * One image's transfer; answers its new state for the cycle to commit with the other
	 * transfers that ended (null when stopped). Its end wakes the pump once its future is
	 * done ({@link Wakeups#submit}).
	 */
	private Transition transferOne(ImageRecord row) {
		Transition end = transfer(row).transferOrFail(row, () -> this.closed);
		if (end != null && end.state() == ImageState.TRANSFERRED) {
			log.info("transfer of {} done", row.sourceImageId());
		}
		return end;
	}

	/**
	 * Lets each transfer under way finish the segment it is copying and start no other (a
	 * window closing): it ends without an outcome, its image still {@code TRANSFERRING}
	 * with the segments it stored counted, for the next run to resume.
	 */
	void finishSegments() {
		this.closed = true;
		this.transfers.values().forEach(ObjectTransfer::stopAtSegmentEnd);
	}

	private ObjectTransfer transfer(ImageRecord row) {
		return this.transfers.get(row.route());
	}

	/** Stops the transfer threads; transfers under way are interrupted. */
	@Override
	public void close() {
		this.closed = true;
		this.pool.shutdownNow();
		this.transfers.values().forEach(ObjectTransfer::close);
	}

}

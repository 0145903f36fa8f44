package org.imageferry.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationRoute;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leases;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;
import org.imageferry.transfer.ObjectTransfer;
import org.imageferry.transfer.SegmentCopier;

/**
 * One worker's share of a run's copies, taken from the shared ledger with leases: each
 * {@link #cycle} records the copies that ended (their lease given up in the same commit),
 * claims exported images into the free slots — up to {@code concurrency} — and starts
 * their copies, each by its target's {@link ObjectTransfer}, which resumes at the next
 * segment a dead worker left. A thread of its own renews the leases every third of their
 * length, so a copy longer than a lease keeps its image. Several workers (processes, or
 * loops in one process) share a run this way without knowing of each other: the ledger's
 * {@code FOR UPDATE SKIP LOCKED} claim keeps them apart, and an expired lease hands a
 * dead worker's images to the living.
 */
public final class LeasedCopies implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LeasedCopies.class);

	/** The states of an image that may still need a copy. */
	private static final ImageState[] BEFORE_TRANSFERRED = { ImageState.PENDING, ImageState.READY, ImageState.EXPORTING,
			ImageState.EXPORTED, ImageState.TRANSFERRING };

	private final Leases leases;

	private final Ledger ledger;

	private final long run;

	private final String worker;

	private final Map<String, ObjectTransfer> transfers;

	private final int concurrency;

	private final Duration lease;

	private final Clock clock;

	private final ExecutorService copies;

	private final ScheduledExecutorService renewals;

	/** The copies under way, by row. */
	private final Map<Long, Future<Transition>> running = new ConcurrentHashMap<>();

	/** Released by each copy that ends, for {@link #await}. */
	private final Semaphore ended = new Semaphore(0);

	/** No claim before this instant: a copy failed for the infrastructure. */
	private Instant claimsFrom = Instant.MIN;

	private volatile boolean stopping;

	/**
	 * @param worker the name the leases are held under: unique among the run's workers
	 * @param transfers each target's transfer, by its route
	 */
	public LeasedCopies(Leases leases, Ledger ledger, long run, String worker, Map<String, ObjectTransfer> transfers,
			int concurrency, Duration lease, Clock clock) {
		this.leases = leases;
		this.ledger = ledger;
		this.run = run;
		this.worker = worker;
		this.transfers = Map.copyOf(transfers);
		this.concurrency = concurrency;
		this.lease = lease;
		this.clock = clock;
		this.copies = Executors.newFixedThreadPool(concurrency, Workers.daemon("copy-" + worker));
		this.renewals = Executors.newSingleThreadScheduledExecutor(Workers.daemon("lease-" + worker));
		long every = Math.max(1, lease.toMillis() / 3);
		this.renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * A worker's copies for a route: each target's {@link ObjectTransfer} built as the
	 * pump builds its own, {@code transfer-concurrency} images at a time, leases of the
	 * profile's {@code lease}.
	 */
	public static LeasedCopies of(Leases leases, Ledger ledger, long run, String worker, MigrationRoute route,
			FerryProperties properties, SegmentCopier copier, Clock clock) {
		Map<String, ObjectTransfer> transfers = new LinkedHashMap<>();
		for (MigrationRoute.Target target : route.targets()) {
			transfers.put(target.route(), new ObjectTransfer(ledger, route.source(), target.side(), copier,
					properties.sizeLimit().toBytes(), properties.consistencyWait(), properties.segmentConcurrency()));
		}
		return new LeasedCopies(leases, ledger, run, worker, transfers, properties.transferConcurrency(),
				properties.lease(), clock);
	}

	/**
	 * Records the copies that ended and claims images for the free slots; answers false
	 * once the run has nothing left that could need a copy (no image before
	 * {@code TRANSFERRED}) and no copy of this worker is under way: its work is done.
	 */
	public boolean cycle() {
		collectEnded();
		if (this.stopping) {
			return !this.running.isEmpty();
		}
		int free = this.concurrency - this.running.size();
		if (free > 0 && !this.clock.instant().isBefore(this.claimsFrom)) {
			for (ImageRecord row : this.leases.claim(this.run, this.worker, free, leaseEnd())) {
				log.info("transfer of {} started by worker {}", row.sourceImageId(), this.worker);
				this.running.put(row.id(), this.copies.submit(() -> copy(row)));
			}
		}
		return !this.running.isEmpty() || workLeft();
	}

	/** Whether the run has an image that may still need a copy (before TRANSFERRED). */
	public boolean workLeft() {
		return this.ledger.any(this.run, BEFORE_TRANSFERRED);
	}

	private Transition copy(ImageRecord row) {
		try {
			return this.transfers.get(row.route()).transferOrFail(row, () -> this.stopping);
		}
		finally {
			this.ended.release();
		}
	}

	/**
	 * Records each copy that ended with its lease given up; one stopped, or failed for
	 * the infrastructure, gives its lease up without an end (the image stays
	 * {@code TRANSFERRING} for the next claim, here or elsewhere).
	 */
	private void collectEnded() {
		for (Long row : new ArrayList<>(this.running.keySet())) {
			Future<Transition> copy = this.running.get(row);
			if (!copy.isDone()) {
				continue;
			}
			this.running.remove(row);
			try {
				Transition end = copy.get();
				if (end == null) {
					this.leases.release(this.worker, row);
				}
				else if (!this.leases.end(this.worker, end)) {
					log.warn("worker {} lost the lease of row {} during its copy: another worker records it",
							this.worker, row);
				}
				else if (end.state() == ImageState.TRANSFERRED) {
					log.info("transfer of row {} done by worker {}", row, this.worker);
				}
			}
			catch (ExecutionException ex) {
				this.leases.release(this.worker, row);
				// the image is not at fault: claim again after a pause, as a restart
				// would
				this.claimsFrom = this.clock.instant().plus(this.lease.dividedBy(3));
				log.warn("worker {}: the copy of row {} failed, to be tried again: {}", this.worker, row,
						ex.getCause().getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Waits until a copy ends, at most {@code timeout}. */
	public void await(Duration timeout) {
		try {
			if (this.ended.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.ended.drainPermits();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Extends the leases of the copies under way; a copy whose lease another worker took
	 * over (this one stalled past its lease) goes on, but its end will not be recorded.
	 */
	private void renew() {
		try {
			Set<Long> mine = new HashSet<>(this.running.keySet());
			List<Long> held = this.leases.renew(this.worker, mine, leaseEnd());
			mine.removeAll(held);
			mine.stream()
				.filter(this.running::containsKey)
				.forEach((row) -> log.warn("worker {} lost the lease of row {}", this.worker, row));
		}
		catch (RuntimeException ex) {
			log.warn("worker {} could not renew its leases: {}", this.worker, ex.getMessage());
		}
	}

	private Instant leaseEnd() {
		return this.clock.instant().plus(this.lease);
	}

	/**
	 * A clean stop: the copies under way finish the segment they are copying and start no
	 * other, then every lease of this worker is given up, so another worker (or a
	 * restart) resumes the images at once rather than after their leases expire. Waits
	 * for the copies — at most one segment each.
	 */
	public void stop() {
		this.stopping = true;
		this.transfers.values().forEach(ObjectTransfer::stopAtSegmentEnd);
		for (Future<Transition> copy : this.running.values()) {
			try {
				copy.get();
			}
			catch (ExecutionException ex) {
				// released below, as every lease of this worker
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		collectEnded();
		int released = this.leases.releaseAll(this.worker);
		log.info("worker {} stopped: {} lease(s) given up", this.worker, released);
	}

	/** Whether no copy of this worker is under way. */
	public boolean idle() {
		return this.running.isEmpty();
	}

	/** Stops the threads; copies under way are interrupted. */
	@Override
	public void close() {
		this.renewals.shutdownNow();
		this.copies.shutdownNow();
		this.transfers.values().forEach(ObjectTransfer::close);
	}

}

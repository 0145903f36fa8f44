package org.imageferry.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.ExitStatus;

/**
 * The slot this worker process serves, for the command that waits on it: whether one
 * started, a stop (a signal) passed on to it, and its end. A worker serves one slot of
 * one run and then ends, its exit status saying how the slot ended.
 */
public final class WorkerSlots implements StepExecutionListener {

	private final AtomicReference<SlotTasklet> running = new AtomicReference<>();

	/** Set by the first request this worker accepts: it serves no other. */
	private final AtomicBoolean taken = new AtomicBoolean();

	private final CountDownLatch ended = new CountDownLatch(1);

	private volatile boolean stopping;

	private volatile BatchStatus status;

	private volatile String worker;

	/**
	 * Whether this worker takes a slot request: only the first, and none once told to
	 * stop. A request it does not take goes back to the other workers ({@link OneSlot}).
	 */
	boolean take() {
		return !this.stopping && this.taken.compareAndSet(false, true);
	}

	/** Whether this worker still takes a request: it has none and is not stopping. */
	boolean listening() {
		return !this.stopping && !this.taken.get();
	}

	/** Undoes {@link #take()} when the request's poll did not commit: it is not ours. */
	void release() {
		this.taken.set(false);
	}

	/**
	 * @param worker the name the slot's leases are held under, which its metrics carry
	 */
	void started(SlotTasklet slot, String worker) {
		this.worker = worker;
		this.running.set(slot);
		if (this.stopping) {
			slot.stop();
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		this.status = stepExecution.getStatus();
		this.ended.countDown();
		return stepExecution.getExitStatus();
	}

	/** Whether a slot is under way here. */
	public boolean busy() {
		return this.running.get() != null && this.ended.getCount() > 0;
	}

	/**
	 * The name of the worker serving the slot ({@code host:pid/slot}), once one started.
	 */
	public Optional<String> worker() {
		return Optional.ofNullable(this.worker);
	}

	/** Whether the worker was told to stop. */
	public boolean stopping() {
		return this.stopping;
	}

	/** Stops the slot under way (its copies finish their segment); no new one starts. */
	public void stop() {
		this.stopping = true;
		SlotTasklet slot = this.running.get();
		if (slot != null) {
			slot.stop();
		}
	}

	/**
	 * Waits for the slot's end, at most {@code timeout}; answers how it ended, if it did.
	 */
	public Optional<BatchStatus> awaitEnd(Duration timeout) throws InterruptedException {
		return this.ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(this.status)
				: Optional.empty();
	}

}

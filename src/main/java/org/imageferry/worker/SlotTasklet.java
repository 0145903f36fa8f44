package org.imageferry.worker;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.job.MigrationJobConfiguration;

/**
 * A worker's slot of the {@code copy} step: its loop of leased copies, one short cycle
 * per call, so that every call's commit of the step execution is the worker's heartbeat
 * (its {@code LAST_UPDATED}). The slot ends
 * <ul>
 * <li>{@code COMPLETED} when the run has nothing left to copy — after closing the slots
 * of workers that died (no heartbeat for two leases: their images went to the living with
 * their leases), which the manager would otherwise wait for forever;</li>
 * <li>{@code STOPPED} when the manager's run stopped or failed, or its {@code migrate}
 * step ended otherwise, or the worker is stopped (SIGTERM) with no other worker beating:
 * the copies finish their segment and the leases are given up; a restart of the run hands
 * the slot out again;</li>
 * <li>{@code COMPLETED}, its exit description beginning {@link #WORKER_LEFT}, when the
 * worker is stopped while others still copy: they take its images at once.</li>
 * </ul>
 */
class SlotTasklet implements StoppableTasklet {

	private static final Logger log = LoggerFactory.getLogger(SlotTasklet.class);

	/** How the exit description of a slot closed for a worker that died begins. */
	static final String WORKER_LOST = "WORKER_LOST";

	/**
	 * How the exit description of a slot whose worker was stopped while others copy
	 * begins.
	 */
	static final String WORKER_LEFT = "WORKER_LEFT";

	private final LeasedCopies copies;

	private final JobRepository jobRepository;

	private final Duration lease;

	/** The longest wait between two calls: a third of a lease, at most 5 s. */
	private final Duration beat;

	private volatile boolean stopped;

	/** When the run was found to have nothing left to copy. */
	private LocalDateTime done;

	SlotTasklet(LeasedCopies copies, JobRepository jobRepository, Duration lease) {
		this.copies = copies;
		this.jobRepository = jobRepository;
		this.lease = lease;
		Duration third = lease.dividedBy(3);
		this.beat = (third.compareTo(Duration.ofSeconds(5)) < 0) ? third : Duration.ofSeconds(5);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution slot = contribution.getStepExecution();
		if (this.done == null) {
			// a run with nothing left to copy completes the slot, whatever the manager is
			// doing (a restarted run may have finished its migrate before the slot came)
			boolean left = !this.copies.idle() || this.copies.workLeft();
			if (this.stopped || slot.isTerminateOnly() || (left && !managerCopying(slot))) {
				this.copies.stop();
				this.copies.close();
				if (this.stopped && !slot.isTerminateOnly() && othersBeating(slot)) {
					// the living take its images at once (its leases are given up):
					// the run need not be restarted for it
					slot.setExitStatus(ExitStatus.COMPLETED.addExitDescription(
							WORKER_LEFT + ": the worker was stopped; its images went to the other workers"));
					return RepeatStatus.FINISHED;
				}
				// ends STOPPED at the step's next interruption check, as a stop does
				slot.setTerminateOnly();
				return RepeatStatus.CONTINUABLE;
			}
			if (left && this.copies.cycle()) {
				this.copies.await(this.beat);
				return RepeatStatus.CONTINUABLE;
			}
			this.copies.close();
			this.done = LocalDateTime.now();
			log.info("nothing left to copy: slot {} ends", slot.getStepName());
		}
		return closeLostSlots(slot) ? RepeatStatus.FINISHED : pause();
	}

	/**
	 * Whether the manager still wants copies: its run neither stopping nor ended, its
	 * {@code migrate} step still under way.
	 */
	private boolean managerCopying(StepExecution slot) {
		JobExecution manager = this.jobRepository.getJobExecution(slot.getJobExecutionId());
		if (manager == null || !manager.getStatus().isRunning() || manager.getStatus() == BatchStatus.STOPPING) {
			return false;
		}
		return manager.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(MigrationJobConfiguration.MIGRATE))
			.allMatch((step) -> step.getStatus().isRunning());
	}

	/**
	 * Whether another slot of the run still beats: a living worker to leave the work to.
	 */
	private boolean othersBeating(StepExecution slot) {
		LocalDateTime silentSince = LocalDateTime.now().minus(this.lease.multipliedBy(2));
		return otherSlots(slot).stream().anyMatch((other) -> !lastBeat(other).isBefore(silentSince));
	}

	private List<StepExecution> otherSlots(StepExecution slot) {
		return this.jobRepository.getJobExecution(slot.getJobExecutionId())
			.getStepExecutions()
			.stream()
			.filter((other) -> other.getStepName().startsWith(CopyWorkerConfiguration.SLOT_STEP + ":"))
			.filter((other) -> other.getId() != slot.getId() && other.getStatus().isRunning())
			.toList();
	}

	private static LocalDateTime lastBeat(StepExecution slot) {
		return (slot.getLastUpdated() != null) ? slot.getLastUpdated() : slot.getCreateTime();
	}

	/**
	 * Closes the other slots of the run whose workers stopped beating (their images went
	 * to the living as their leases expired), as {@code COMPLETED}, their exit
	 * description beginning {@link #WORKER_LOST}; answers whether this slot may end: no
	 * other slot is left that might be a dead worker's not yet silent for long enough. A
	 * slot that still beats after two leases belongs to a living worker, which ends it
	 * itself.
	 */
	private boolean closeLostSlots(StepExecution slot) {
		LocalDateTime now = LocalDateTime.now();
		LocalDateTime silentSince = now.minus(this.lease.multipliedBy(2));
		boolean beating = false;
		for (StepExecution other : otherSlots(slot)) {
			LocalDateTime last = lastBeat(other);
			if (last.isBefore(silentSince)) {
				log.warn("slot {} has not beaten since {}: its worker is lost, its images went to the others",
						other.getStepName(), last);
				other.setStatus(BatchStatus.COMPLETED);
				// COMPLETED: the run's copies are done; the description says whose slot
				// was
				// lost
				other.setExitStatus(ExitStatus.COMPLETED.addExitDescription(WORKER_LOST + ": no heartbeat since " + last
						+ "; its images were copied by the other workers once its leases expired"));
				other.setEndTime(now);
				this.jobRepository.update(other);
			}
			else {
				beating = true;
			}
		}
		// a worker stopped now (SIGTERM) leaves at once: its own work is done
		return !beating || this.stopped || now.isAfter(this.done.plus(this.lease.multipliedBy(2)));
	}

	private RepeatStatus pause() {
		try {
			Thread.sleep(this.beat.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return RepeatStatus.CONTINUABLE;
	}

	/** A clean stop (SIGTERM): the next call stops the copies at their segment's end. */
	@Override
	public void stop() {
		this.stopped = true;
	}

}

package org.imageferry.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Starts a run, or continues it: the same parameters name the same run, so running the
 * same command again restarts a failed or stopped run, recovers one a killed process left
 * {@code STARTED} and then restarts it, and leaves a completed one alone.
 */
final class RunLauncher {

	private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

	private static final int RECOVERY_ATTEMPTS = 5;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	RunLauncher(JobOperator jobOperator, JobRepository jobRepository, Job job) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = job;
	}

	/**
	 * Must be called while holding the run lock: an execution found running then belongs
	 * to a process that is gone.
	 */
	JobExecution launch(JobParameters parameters) throws Exception {
		JobInstance instance = this.jobRepository.getJobInstance(this.job.getName(), parameters);
		if (instance == null) {
			return this.jobOperator.start(this.job, parameters);
		}
		JobExecution last = this.jobRepository.getLastJobExecution(instance);
		if (last == null) {
			return this.jobOperator.start(this.job, parameters);
		}
		if (last.getStatus() == BatchStatus.COMPLETED) {
			log.info("run {} already completed (execution {}); nothing to do", instance.getInstanceId(), last.getId());
			return last;
		}
		return restart(last);
	}

	/**
	 * Resumes a run from its last execution; one left running by a process that is gone
	 * is recovered first. Must be called while holding the run lock.
	 */
	JobExecution restart(JobExecution last) throws Exception {
		long run = last.getJobInstance().getInstanceId();
		BatchStatus status = last.getStatus();
		if (status == BatchStatus.COMPLETED) {
			throw new UsageException("run " + run + " (execution " + last.getId() + ") already completed");
		}
		if (status == BatchStatus.ABANDONED) {
			throw new IllegalStateException("run " + run + " was abandoned; start it anew with --force");
		}
		if (status.isRunning() || status == BatchStatus.UNKNOWN) {
			log.warn("run {} was left {} by a process that is gone (execution {}); recovering it", run, status,
					last.getId());
			last = recover(last);
		}
		log.info("restarting run {} (execution {} ended {})", run, last.getId(), last.getStatus());
		return this.jobOperator.restart(last);
	}

	/**
	 * Marks a gone process's execution failed. Its workers may still be alive and write
	 * their slots' step executions meanwhile (a heartbeat a few seconds apart, their
	 * end): a version that moved under the recovery is read again and the recovery tried
	 * again.
	 */
	private JobExecution recover(JobExecution gone) throws Exception {
		JobExecution execution = gone;
		for (int attempt = 1;; attempt++) {
			try {
				return this.jobOperator.recover(execution);
			}
			catch (OptimisticLockingFailureException ex) {
				if (attempt == RECOVERY_ATTEMPTS) {
					throw ex;
				}
				log.debug("a step execution of run {} changed while it was recovered; reading it again",
						execution.getJobInstance().getInstanceId());
				execution = this.jobRepository.getJobExecution(gone.getId());
			}
		}
	}

}

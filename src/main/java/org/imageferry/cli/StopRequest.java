package org.imageferry.cli;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Asks a running execution to stop, the one way both {@code stop} (from another process)
 * and a signal (in the running process, {@link SignalStop}) do it: the execution is
 * marked STOPPING in the job repository, and the process running it reads that status at
 * each cycle and ends the run STOPPED.
 */
final class StopRequest {

	private static final int ATTEMPTS = 5;

	private final JobRepository jobRepository;

	StopRequest(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	/**
	 * Marks the execution STOPPING. Not {@code JobOperator.stop}, which would also stop
	 * the step in this process — building the step's tasklet here and racing the running
	 * process for the step execution's version. The running process updates the execution
	 * too: a lost race is read again and retried, unless the execution ended meanwhile.
	 */
	void send(JobExecution execution) {
		JobExecution current = execution;
		for (int attempt = 1;; attempt++) {
			current.setStatus(BatchStatus.STOPPING);
			try {
				this.jobRepository.update(current);
				return;
			}
			catch (OptimisticLockingFailureException ex) {
				if (attempt == ATTEMPTS) {
					throw ex;
				}
				current = this.jobRepository.getJobExecution(execution.getId());
				if (current == null || !current.getStatus().isRunning()) {
					return;
				}
			}
		}
	}

}

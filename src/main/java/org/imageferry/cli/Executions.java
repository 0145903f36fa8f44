package org.imageferry.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;

import org.imageferry.job.MigrationJobConfiguration;
import org.imageferry.job.MigrationParameters;

/**
 * Finds the run a command is about: the execution named by {@code --execution}, else the
 * profile's latest (latest that did not complete, for {@code restart}; the running one,
 * for {@code stop}).
 */
final class Executions {

	private static final int RECENT = 200;

	private final JobRepository jobRepository;

	Executions(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	JobExecution byId(long id) {
		JobExecution execution = this.jobRepository.getJobExecution(id);
		if (execution == null) {
			throw new UsageException("there is no execution " + id + " in this data directory");
		}
		return execution;
	}

	/** The profile's most recent run (each run's last execution) that matches. */
	JobExecution latest(String profile, Predicate<JobExecution> filter, String what) {
		return this.jobRepository.getJobInstances(MigrationJobConfiguration.JOB, 0, RECENT)
			.stream()
			.map(this.jobRepository::getLastJobExecution)
			.filter(Objects::nonNull)
			.filter((e) -> profile.equals(e.getJobParameters().getString(MigrationParameters.PROFILE)))
			.filter(filter)
			.max(Comparator.comparing(JobExecution::getId))
			.orElseThrow(
					() -> new UsageException("profile '" + profile + "' has no " + what + " in this data directory"));
	}

	static Predicate<JobExecution> any() {
		return Objects::nonNull;
	}

	static Predicate<JobExecution> unfinished() {
		return (e) -> !List.of(BatchStatus.COMPLETED, BatchStatus.ABANDONED).contains(e.getStatus());
	}

	static Predicate<JobExecution> running() {
		return (e) -> e.getStatus().isRunning();
	}

}

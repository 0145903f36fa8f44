package org.imageferry.cli;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;

import org.imageferry.job.MigrationJobConfiguration;
import org.imageferry.job.MigrationParameters;
import org.imageferry.job.Window;

/**
 * Finds the run a command is about: the execution named by {@code --execution}, else the
 * profile's latest (latest that did not complete, for {@code restart}; the running one,
 * for {@code stop}).
 */
final class Executions {

	private static final int RECENT = 200;

	private final JobRepository jobRepository;

	private final String where;

	/**
	 * @param where where the job repository is, as a message about a run it does not hold
	 * names it ("this data directory", "the database at …")
	 */
	Executions(JobRepository jobRepository, String where) {
		this.jobRepository = jobRepository;
		this.where = where;
	}

	/**
	 * An unknown id is a usage error naming the executions there are: the job repository
	 * answers it with an {@link EmptyResultDataAccessException} ("Incorrect result
	 * size"), which would tell an operator nothing.
	 */
	JobExecution byId(long id) {
		JobExecution execution;
		try {
			execution = this.jobRepository.getJobExecution(id);
		}
		catch (EmptyResultDataAccessException ex) {
			execution = null;
		}
		if (execution == null) {
			throw new UsageException("there is no execution " + id + " in " + this.where + "; " + existing());
		}
		return execution;
	}

	/** The executions of the recent runs, by profile, their ids as ranges. */
	private String existing() {
		Map<String, List<Long>> byProfile = new TreeMap<>();
		for (JobInstance instance : this.jobRepository.getJobInstances(MigrationJobConfiguration.JOB, 0, RECENT)) {
			for (JobExecution execution : this.jobRepository.getJobExecutions(instance)) {
				String profile = execution.getJobParameters().getString(MigrationParameters.PROFILE);
				byProfile.computeIfAbsent(String.valueOf(profile), (p) -> new ArrayList<>()).add(execution.getId());
			}
		}
		if (byProfile.isEmpty()) {
			return "it holds no execution yet";
		}
		return "it holds " + byProfile.entrySet()
			.stream()
			.map((e) -> "profile '" + e.getKey() + "': " + ranges(e.getValue()))
			.collect(Collectors.joining("; "));
	}

	/** {@code 1-3, 5} for 3, 1, 2, 5. */
	static String ranges(List<Long> ids) {
		List<Long> sorted = ids.stream().sorted().toList();
		List<String> ranges = new ArrayList<>();
		for (int i = 0; i < sorted.size(); i++) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
				j++;
			}
			ranges.add(sorted.get(i) + ((j > i) ? "-" + sorted.get(j) : ""));
			i = j;
		}
		return "execution" + ((sorted.size() == 1) ? " " : "s ") + String.join(", ", ranges);
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
			.orElseThrow(() -> new UsageException("profile '" + profile + "' has no " + what + " in " + this.where));
	}

	/**
	 * The day of the most recent run of this manifest and route that its window closed
	 * with work left, if its last execution did so: the next night's same command carries
	 * that run on (a new execution of the same job instance) instead of starting the new
	 * day's, so the nights of one migration are one run — its report, its timeline, its
	 * status.
	 */
	Optional<LocalDate> dayOfRunWindowClosed(String manifestSha256, String route) {
		return this.jobRepository.getJobInstances(MigrationJobConfiguration.JOB, 0, RECENT)
			.stream()
			.map(this.jobRepository::getLastJobExecution)
			.filter(Objects::nonNull)
			.filter((e) -> manifestSha256.equals(e.getJobParameters().getString(MigrationParameters.MANIFEST_SHA256))
					&& route.equals(e.getJobParameters().getString(MigrationParameters.ROUTE))
					&& e.getJobParameters().getString(MigrationParameters.FORCE) == null)
			.max(Comparator.comparing(JobExecution::getId))
			.filter((e) -> e.getStatus() == BatchStatus.STOPPED
					&& Window.CLOSED.equals(e.getExitStatus().getExitCode()))
			.map((e) -> LocalDate.parse(e.getJobParameters().getString(MigrationParameters.RUN_DATE)));
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

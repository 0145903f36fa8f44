package org.imageferry.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationParameters;
import org.imageferry.report.RunSummary;
import org.imageferry.transfer.BandwidthLimit;

/**
 * A run as the reports, the metrics and {@code status} show it, read from the job
 * repository: with its executions up to the one asked for, so that they cover a stopped
 * and restarted run whole.
 */
final class RunSummaries {

	private final JobRepository jobRepository;

	private final FerryProperties properties;

	private final Clock clock;

	RunSummaries(JobRepository jobRepository, FerryProperties properties, Clock clock) {
		this.jobRepository = jobRepository;
		this.properties = properties;
		this.clock = clock;
	}

	/** The run as of {@code execution}. */
	RunSummary of(JobExecution execution) {
		JobParameters parameters = execution.getJobParameters();
		List<RunSummary.Execution> executions = this.jobRepository.getJobExecutions(execution.getJobInstance())
			.stream()
			.filter((e) -> e.getId() <= execution.getId())
			.map((e) -> (Long.compare(e.getId(), execution.getId()) == 0) ? execution : e)
			.map((e) -> new RunSummary.Execution(e.getId(), e.getStatus().name(), instant(e.getStartTime()),
					instant(e.getEndTime()), e.getExitStatus().getExitCode()))
			.toList();
		return new RunSummary(execution.getJobInstance().getInstanceId(), execution.getId(),
				execution.getStatus().name(), parameters.getString(MigrationParameters.ROUTE),
				parameters.getString(MigrationParameters.MANIFEST), parameters.getString(MigrationParameters.PROFILE),
				executions, bandwidthCap());
	}

	/** A job repository's time (local, as Spring Batch keeps it) as an instant. */
	static Instant instant(LocalDateTime time) {
		return (time != null) ? time.atZone(ZoneId.systemDefault()).toInstant() : null;
	}

	/** The bandwidth cap in force now, for the reports; null when there is none. */
	private RunSummary.BandwidthCap bandwidthCap() {
		BandwidthLimit limit = this.properties.bandwidthLimit();
		return limit.off() ? null : new RunSummary.BandwidthCap(limit.toString(), limit.rateAt(this.clock.instant()),
				limit.zone().getId());
	}

}

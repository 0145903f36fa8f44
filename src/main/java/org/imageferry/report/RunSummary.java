package org.imageferry.report;

import java.time.Instant;

/**
 * What a report says about a run as a whole.
 *
 * @param runId the run's id
 * @param executionId the job execution the report was written for (a restarted run has
 * several)
 * @param status the execution's status, e.g. {@code COMPLETED}
 * @param route source and target region and account
 * @param manifest the manifest's path
 * @param profile the job profile's name or path
 * @param startedAt when the execution started
 * @param endedAt when it ended, or {@code null} while it runs
 */
public record RunSummary(long runId, long executionId, String status, String route, String manifest, String profile,
		Instant startedAt, Instant endedAt) {

}

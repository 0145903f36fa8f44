package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What a report says about a run as a whole. A run stopped (or failed) and restarted has
 * several executions; the report covers them all, so its start, end and duration are the
 * run's, and the intervals between executions are {@link #pauses() pauses}: not counted
 * as time spent in any phase.
 *
 * @param runId the run's id
 * @param executionId the job execution the report was written for (a restarted run has
 * several)
 * @param status the execution's status, e.g. {@code COMPLETED}
 * @param route source and target region and account
 * @param manifest the manifest's path
 * @param profile the job profile's name or path
 * @param executions the run's executions up to {@code executionId}, at least one
 * @param bandwidthCap the bandwidth cap of the profile, or {@code null} for none
 */
public record RunSummary(long runId, long executionId, String status, String route, String manifest, String profile,
		List<Execution> executions, BandwidthCap bandwidthCap) {

	public RunSummary {
		if (executions.isEmpty()) {
			throw new IllegalArgumentException("a run has at least one execution");
		}
		executions = executions.stream().sorted(Comparator.comparingLong(Execution::id)).toList();
	}

	/**
	 * A run without a bandwidth cap.
	 */
	public RunSummary(long runId, long executionId, String status, String route, String manifest, String profile,
			List<Execution> executions) {
		this(runId, executionId, status, route, manifest, profile, executions, null);
	}

	/**
	 * A run of one execution.
	 * @param startedAt when the execution started
	 * @param endedAt when it ended, or {@code null} while it runs
	 */
	public RunSummary(long runId, long executionId, String status, String route, String manifest, String profile,
			Instant startedAt, Instant endedAt) {
		this(runId, executionId, status, route, manifest, profile,
				List.of(new Execution(executionId, status, startedAt, endedAt)));
	}

	/**
	 * @return when the run's first execution started
	 */
	public Instant startedAt() {
		return this.executions.get(0).startedAt();
	}

	/**
	 * @return when its last execution ended, or {@code null} while it runs
	 */
	public Instant endedAt() {
		return this.executions.get(this.executions.size() - 1).endedAt();
	}

	/**
	 * @return the intervals between executions, when the run was not running
	 */
	Pauses pauses() {
		return Pauses.between(this.executions);
	}

	/**
	 * @return from the first execution's start to the last one's end, pauses included;
	 * {@code null} while it runs
	 */
	public Duration wallTime() {
		return (startedAt() != null && endedAt() != null) ? Duration.between(startedAt(), endedAt()) : null;
	}

	/**
	 * @return the wall time without the pauses: how long the run's executions ran
	 */
	public Duration activeTime() {
		return (wallTime() != null) ? pauses().active(startedAt(), endedAt()) : null;
	}

	/**
	 * One execution of the run, as Spring Batch's job repository records it.
	 *
	 * @param id the job execution's id
	 * @param status how it ended (or {@code STARTED} while it runs)
	 * @param startedAt when it started
	 * @param endedAt when it ended ({@code null} while it runs; for one a killed process
	 * left behind, when {@code restart} recovered it)
	 * @param exitCode its exit code, e.g. {@code WINDOW_CLOSED} for a run its window's
	 * end stopped (the job's {@code Window.CLOSED}); may be null
	 */
	public record Execution(long id, String status, Instant startedAt, Instant endedAt, String exitCode) {

		/** The exit code of an execution whose window closed. */
		static final String WINDOW_CLOSED = "WINDOW_CLOSED";

		/** An execution whose exit code says nothing more than its status. */
		public Execution(long id, String status, Instant startedAt, Instant endedAt) {
			this(id, status, startedAt, endedAt, null);
		}

		/**
		 * @return why the run did not go on after this execution: {@code window closed},
		 * or its status in lower case ({@code stopped}, {@code failed})
		 */
		String why() {
			if (WINDOW_CLOSED.equals(this.exitCode)) {
				return "window closed";
			}
			return (this.status != null) ? this.status.toLowerCase(java.util.Locale.ROOT) : "not running";
		}

	}

	/**
	 * The bandwidth cap a run is held to.
	 *
	 * @param setting the profile's {@code bandwidth-limit}, e.g. {@code 50MB/s} or a
	 * timetable
	 * @param inForce bytes a second in force when the report was written; 0 when the
	 * timetable has no cap then
	 * @param zone the time zone of the timetable's times
	 */
	public record BandwidthCap(String setting, long inForce, String zone) {

	}

}

package org.imageferry.job;

import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import org.imageferry.manifest.Manifest;

/**
 * The job's parameters. A run is identified by what it migrates — the manifest's content
 * (its SHA-256, not its path), the route (source and target region and user) and the day
 * — so running the same command again restarts the same run, and tomorrow's nightly run
 * is a new one, unless a window closed today's with work left: the command then passes
 * that run's day, and the nights of one migration are one run. No secret is ever a
 * parameter.
 */
public final class MigrationParameters {

	public static final String MANIFEST = "manifest";

	public static final String MANIFEST_SHA256 = "manifest.sha256";

	public static final String ROUTE = "route";

	public static final String RUN_DATE = "run.date";

	public static final String FORCE = "force";

	public static final String STRICT = "strict";

	public static final String PROFILE = "profile";

	private MigrationParameters() {
	}

	/**
	 * @param forcedAt for {@code --force}, the time that makes this a new run; null
	 * otherwise
	 */
	public static JobParameters of(String manifestPath, Manifest manifest, String route, LocalDate day, boolean strict,
			String forcedAt, String profile) {
		JobParametersBuilder builder = new JobParametersBuilder().addString(MANIFEST_SHA256, manifest.sha256(), true)
			.addString(ROUTE, route, true)
			.addString(RUN_DATE, day.toString(), true)
			.addString(MANIFEST, manifestPath, false)
			.addString(STRICT, Boolean.toString(strict), false)
			.addString(PROFILE, (profile != null) ? profile : "", false);
		if (forcedAt != null) {
			builder.addString(FORCE, forcedAt, true);
		}
		return builder.toJobParameters();
	}

	public static LocalDate today(java.time.Clock clock) {
		return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
	}

}

package org.imageferry.job;

import java.nio.file.Path;
import java.util.List;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.RunTarget;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestReader;

/**
 * The {@code load} step: records the manifest's lines as this run's items and its images
 * in the ledger, for each of the route's targets. The manifest must still be the one the
 * run was started with (same SHA-256): a run never changes what it migrates.
 */
class LoadManifestTasklet implements Tasklet {

	private final Ledger ledger;

	private final RouteConnector routes;

	private final int maxManifestLines;

	LoadManifestTasklet(Ledger ledger, RouteConnector routes, int maxManifestLines) {
		this.ledger = ledger;
		this.routes = routes;
		this.maxManifestLines = maxManifestLines;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		JobParameters parameters = contribution.getStepExecution().getJobParameters();
		String path = parameters.getString(MigrationParameters.MANIFEST);
		Manifest manifest = ManifestReader.read(Path.of(path),
				Boolean.parseBoolean(parameters.getString(MigrationParameters.STRICT)), this.maxManifestLines);
		String expected = parameters.getString(MigrationParameters.MANIFEST_SHA256);
		if (!manifest.sha256().equals(expected)) {
			throw new IllegalStateException("manifest " + path + " changed since this run started (SHA-256 "
					+ manifest.sha256() + ", expected " + expected + "); start a new run with the new manifest");
		}
		long run = contribution.getStepExecution().getJobExecution().getJobInstance().getInstanceId();
		List<RunTarget> targets = this.routes.routeOf(parameters.getString(MigrationParameters.ROUTE))
			.targets()
			.stream()
			.map(MigrationRoute.Target::ledger)
			.toList();
		this.ledger.recordRun(run, targets, manifest, parameters.getString(MigrationParameters.FORCE) != null);
		contribution.incrementWriteCount(manifest.entries().size());
		return RepeatStatus.FINISHED;
	}

}

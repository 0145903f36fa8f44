package org.imageferry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import org.imageferry.cloud.CloudException;
import org.imageferry.job.ConfigurationException;
import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationParameters;
import org.imageferry.job.RouteConnector;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.RunItem;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestException;
import org.imageferry.manifest.ManifestReader;
import org.imageferry.report.Outcome;
import org.imageferry.report.OutcomeTable;

/**
 * Carries out a command: takes the lock, reads the manifest, connects both ends, starts
 * or continues the run, prints the outcome table and returns the exit code. Every failure
 * ends as one plain message and an exit code, never a stack trace. Nothing runs when the
 * application context starts: {@code ImageFerryApplication} calls {@link #execute} (so
 * tests can load the context and drive the job themselves).
 */
@Component
public class FerryRunner {

	private static final Logger log = LoggerFactory.getLogger(FerryRunner.class);

	private final FerryProperties properties;

	private final RouteConnector routes;

	private final Ledger ledger;

	private final RunLauncher launcher;

	private final Clock clock;

	private final PrintStream out = System.out;

	FerryRunner(FerryProperties properties, RouteConnector routes, Ledger ledger, JobOperator jobOperator,
			JobRepository jobRepository, Job imageFerryJob, Clock clock) {
		this.properties = properties;
		this.routes = routes;
		this.ledger = ledger;
		this.launcher = new RunLauncher(jobOperator, jobRepository, imageFerryJob);
		this.clock = clock;
	}

	/**
	 * @return the exit code
	 */
	public int execute(Command command) {
		try {
			return locked(command);
		}
		catch (ManifestException ex) {
			return fail(ExitCodes.MANIFEST_REFUSED, ex.getMessage());
		}
		catch (ConfigurationException ex) {
			return fail(ExitCodes.USAGE, ex.getMessage());
		}
		catch (CloudException ex) {
			return fail(ExitCodes.RUN_FAILED, ex.getMessage());
		}
		catch (Exception ex) {
			log.debug("run failed", ex);
			return fail(ExitCodes.RUN_FAILED, (ex.getMessage() != null) ? ex.getMessage() : ex.toString());
		}
	}

	private int locked(Command command) throws Exception {
		try (RunLock lock = RunLock.tryAcquire(this.properties.dataDir())) {
			if (lock == null) {
				return fail(ExitCodes.LOCKED,
						"another image-ferry run holds the lock of " + this.properties.dataDir().toAbsolutePath());
			}
			return runManifest(command);
		}
		catch (IOException ex) {
			return fail(ExitCodes.RUN_FAILED, "cannot lock " + this.properties.dataDir() + ": " + ex.getMessage());
		}
	}

	private int runManifest(Command command) throws Exception {
		Manifest manifest = ManifestReader.read(command.manifest(), command.strict());
		manifest.warnings().forEach((w) -> log.warn(w));
		if (!manifest.problems().isEmpty()) {
			log.warn("{} invalid manifest line(s) will be reported as failed: {}", manifest.problems().size(),
					manifest.problems().stream().limit(5).toList());
		}
		String route = this.routes.route().key();
		var parameters = MigrationParameters.of(command.manifest().toString(), manifest, route,
				MigrationParameters.today(this.clock), command.strict(),
				command.force() ? Instant.now(this.clock).toString() : null, command.profile());
		JobExecution execution = this.launcher.launch(parameters);
		List<RunItem> items = this.ledger.runItems(execution.getJobInstance().getInstanceId());
		OutcomeTable.print(items, this.out);
		this.out.printf("run %d, execution %d: %s%n", execution.getJobInstance().getInstanceId(), execution.getId(),
				execution.getStatus());
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			execution.getAllFailureExceptions().forEach((ex) -> System.err.println("image-ferry: " + ex.getMessage()));
			System.err.println("image-ferry: the run did not complete; run the same command again to resume it");
			return ExitCodes.RUN_FAILED;
		}
		return items.stream().anyMatch((item) -> Outcome.of(item).failed()) ? ExitCodes.SOME_FAILED
				: ExitCodes.MIGRATED;
	}

	private static int fail(int code, String message) {
		System.err.println("image-ferry: " + message);
		return code;
	}

}

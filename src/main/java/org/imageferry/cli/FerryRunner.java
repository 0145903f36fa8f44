package org.imageferry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.ingest.LeftoverSweep;
import org.imageferry.job.ConfigurationException;
import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationParameters;
import org.imageferry.job.MigrationRoute;
import org.imageferry.job.RouteConnector;
import org.imageferry.job.RunWindow;
import org.imageferry.job.Window;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.RunItem;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestException;
import org.imageferry.manifest.ManifestReader;
import org.imageferry.report.Outcome;
import org.imageferry.report.FerryMetrics;
import org.imageferry.report.OutcomeTable;
import org.imageferry.report.PrometheusExport;
import org.imageferry.report.ReportWriter;
import org.imageferry.report.Units;
import org.imageferry.transfer.StreamedBytes;

/**
 * Carries out a command — {@code run}, {@code restart}, {@code status}, {@code stop},
 * {@code report} — and returns its exit code. Every failure ends as one plain message and
 * an exit code, never a stack trace. Nothing runs when the application context starts:
 * {@code ImageFerryApplication} calls {@link #execute}, so tests can load the context and
 * drive the job themselves.
 */
@Component
public class FerryRunner {

	private static final Logger log = LoggerFactory.getLogger(FerryRunner.class);

	private final FerryProperties properties;

	private final RouteConnector routes;

	private final Ledger ledger;

	private final JobRepository jobRepository;

	private final Job job;

	private final RunLauncher launcher;

	private final Executions executions;

	private final Clock clock;

	private final FerryMetrics metrics;

	private final PrometheusMeterRegistry meters;

	private final HttpClient http;

	private final RunWindow window;

	private final RunLock lock;

	private final RunSummaries summaries;

	private final PrintStream out = System.out;

	FerryRunner(FerryProperties properties, RouteConnector routes, Ledger ledger, JobOperator jobOperator,
			JobRepository jobRepository, Job imageFerryJob, Clock clock, FerryMetrics metrics,
			PrometheusMeterRegistry meters, HttpClient http, RunWindow window, DataSource dataSource) {
		this.properties = properties;
		this.routes = routes;
		this.ledger = ledger;
		this.jobRepository = jobRepository;
		this.job = imageFerryJob;
		this.launcher = new RunLauncher(jobOperator, jobRepository, imageFerryJob);
		this.lock = RunLock.of(properties.dataDir(), dataSource);
		this.executions = new Executions(jobRepository, this.lock.repository());
		this.clock = clock;
		this.metrics = metrics;
		this.meters = meters;
		this.http = http;
		this.window = window;
		this.summaries = new RunSummaries(jobRepository, properties, clock);
	}

	/**
	 * @return the exit code
	 */
	public int execute(Command command) {
		try {
			return switch (command.verb()) {
				case Command.RUN -> command.dryRun() ? dryRun(command) : locked(command);
				case Command.RESTART -> locked(command);
				case Command.STATUS -> status(command);
				case Command.STOP -> stop(command);
				case Command.REPORT -> report(command);
				default -> throw new UsageException("unknown command '" + command.verb() + "'");
			};
		}
		catch (UsageException | ConfigurationException ex) {
			return fail(ExitCodes.USAGE, ex.getMessage());
		}
		catch (ManifestException ex) {
			return fail(ExitCodes.MANIFEST_REFUSED, ex.getMessage());
		}
		catch (CloudException ex) {
			return fail(ExitCodes.RUN_FAILED, ex.getMessage() + (ex.retryable()
					? "\nimage-ferry: the run failed and can be retried: run the same command again later" : ""));
		}
		catch (Exception ex) {
			log.debug("command failed", ex);
			return fail(ExitCodes.RUN_FAILED, (ex.getMessage() != null) ? ex.getMessage() : ex.toString());
		}
	}

	/**
	 * {@code run} and {@code restart} hold the job repository's lock ({@link RunLock})
	 * for as long as the job runs.
	 */
	private int locked(Command command) throws Exception {
		if (this.window.open(command.until()).isEmpty()) {
			return WindowNotices.outside(this.window.window(), this.clock.instant(), this.out);
		}
		try (RunLock.Held held = this.lock.tryAcquire()) {
			if (held == null) {
				return fail(ExitCodes.LOCKED, this.lock.refusal());
			}
			return command.verb().equals(Command.RUN) ? run(command) : restart(command);
		}
	}

	private Manifest manifest(Command command) {
		Manifest manifest = ManifestReader.read(command.manifest(), command.strict(),
				this.properties.maxManifestLines());
		manifest.warnings().forEach((w) -> log.warn(w));
		if (!manifest.problems().isEmpty()) {
			log.warn("{} invalid manifest line(s) will be reported as failed: {}", manifest.problems().size(),
					manifest.problems().stream().limit(5).toList());
		}
		return manifest;
	}

	private int run(Command command) throws Exception {
		Manifest manifest = manifest(command);
		String route = this.routes.route().key();
		LocalDate day = command.force() ? MigrationParameters.today(this.clock)
				: this.executions.dayOfRunWindowClosed(manifest.sha256(), route)
					.orElseGet(() -> MigrationParameters.today(this.clock));
		JobParameters parameters = MigrationParameters.of(command.manifest().toString(), manifest, route, day,
				command.strict(), command.force() ? Instant.now(this.clock).toString() : null, command.profile());
		AtomicLong run = new AtomicLong();
		JobExecution execution;
		try (ProgressReporter progress = progress(command, () -> {
			if (run.get() == 0) {
				JobInstance instance = this.jobRepository.getJobInstance(this.job.getName(), parameters);
				run.set((instance != null) ? instance.getInstanceId() : 0);
			}
			return run.get();
		})) {
			try (SignalStop signals = stopOnSignal(
					() -> this.jobRepository.getJobInstance(this.job.getName(), parameters))) {
				execution = this.launcher.launch(parameters);
			}
		}
		sweepLeftovers(execution);
		return finished(execution);
	}

	private int restart(Command command) throws Exception {
		JobExecution last = (command.execution() != null) ? this.executions.byId(command.execution())
				: this.executions.latest(command.profile(), Executions.unfinished(), "run to restart");
		this.routes.route();
		JobExecution execution;
		try (ProgressReporter progress = progress(command, () -> last.getJobInstance().getInstanceId())) {
			try (SignalStop signals = stopOnSignal(last::getJobInstance)) {
				execution = this.launcher.restart(last);
			}
		}
		sweepLeftovers(execution);
		return finished(execution);
	}

	/**
	 * Deletes what clean-ups on the route's targets left behind, this run's or earlier
	 * ones' ({@link LeftoverSweep}): after every run and restart that completed, also one
	 * that had completed before, so the same command again retries them. Not after a run
	 * that failed (the cloud is in trouble) or was stopped. Never fails the command.
	 */
	private void sweepLeftovers(JobExecution execution) {
		try {
			if (execution.getStatus() != BatchStatus.COMPLETED) {
				return;
			}
			MigrationRoute connected = this.routes.route();
			int left = 0;
			for (MigrationRoute.Target target : connected.targets()) {
				if (this.ledger.anyLeftovers(target.route())) {
					try (Workers workers = new Workers(this.properties.apiConcurrency(), "sweep")) {
						left += new LeftoverSweep(this.ledger, target.route(), connected.source(), target.side())
							.sweep(workers);
					}
				}
			}
			if (left > 0) {
				System.err.println("image-ferry: clean-up left " + left + " exported objects (`status` lists them);"
						+ " the next run deletes them");
			}
		}
		catch (RuntimeException ex) {
			log.warn("deleting what earlier clean-ups left failed: {}; the next run tries again", ex.getMessage());
		}
	}

	/** SIGINT and SIGTERM do what {@code stop} does while the run is under way. */
	private SignalStop stopOnSignal(java.util.function.Supplier<JobInstance> instance) {
		return SignalStop.install(this.jobRepository, instance, this.properties.pollInterval());
	}

	private ProgressReporter progress(Command command, java.util.function.LongSupplier run) {
		boolean terminal = System.console() != null;
		Duration interval = terminal ? Duration.ofSeconds(1) : this.properties.progressInterval();
		// workers copy elsewhere: the ledger counts their bytes
		java.util.function.LongSupplier streamed = (this.properties.workers() > 0) ? null : StreamedBytes::total;
		return new ProgressReporter(this.ledger, run, streamed,
				() -> this.properties.bandwidthLimit().rateAt(this.clock.instant()), this.out, terminal,
				command.verbose(), interval, this.clock);
	}

	/** Prints the outcome table and turns the run's end into the exit code. */
	private int finished(JobExecution execution) {
		List<RunItem> items = this.ledger.runItems(execution.getJobInstance().getInstanceId());
		OutcomeTable.print(items, this.out);
		this.out.printf("run %d, execution %d: %s%n", execution.getJobInstance().getInstanceId(), execution.getId(),
				execution.getStatus());
		writeReports(execution, items);
		publishMetrics(execution, items);
		if (execution.getStatus() == BatchStatus.STOPPED
				&& Window.CLOSED.equals(execution.getExitStatus().getExitCode())) {
			return WindowNotices.closed(execution, items, this.out);
		}
		if (execution.getStatus() == BatchStatus.STOPPED) {
			System.err.println("image-ferry: the run was stopped; `restart` resumes it");
			return ExitCodes.RUN_FAILED;
		}
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			execution.getAllFailureExceptions().forEach((ex) -> System.err.println("image-ferry: " + ex.getMessage()));
			System.err.println("image-ferry: the run did not complete (" + execution.getStatus()
					+ "); `restart` (or the same run command) resumes it");
			return ExitCodes.RUN_FAILED;
		}
		return items.stream().anyMatch((item) -> Outcome.of(item).failed()) ? ExitCodes.SOME_FAILED
				: ExitCodes.MIGRATED;
	}

	private int dryRun(Command command) {
		Manifest manifest = manifest(command);
		return DryRun.plan(manifest, this.routes.plan(), this.ledger, this.properties.sizeLimit().toBytes(),
				command.force(), this.out);
	}

	private int status(Command command) throws IOException, SQLException {
		JobExecution execution = (command.execution() != null) ? this.executions.byId(command.execution())
				: this.executions.latest(command.profile(), Executions.any(), "run");
		List<RunItem> items = this.ledger.runItems(execution.getJobInstance().getInstanceId());
		org.imageferry.report.StatusTable.print(this.summaries.of(execution), items, this.clock.instant(), this.out);
		this.out.printf("run %d, execution %d: %s (started %s%s)%n", execution.getJobInstance().getInstanceId(),
				execution.getId(), execution.getStatus(),
				Units.timestamp(RunSummaries.instant(execution.getStartTime())), (execution.getEndTime() != null)
						? ", ended " + Units.timestamp(RunSummaries.instant(execution.getEndTime())) : "");
		if (execution.getStatus().isRunning()) {
			this.out.println(this.lock.holder()
				.map((who) -> "in progress: " + who + " holds the lock of " + this.lock.place()
						+ "; `stop` asks it to stop")
				.orElse("interrupted: no process holds it; `restart` resumes it"));
		}
		return ExitCodes.MIGRATED;
	}

	private int report(Command command) {
		JobExecution execution = (command.execution() != null) ? this.executions.byId(command.execution())
				: this.executions.latest(command.profile(), Executions.any(), "run");
		writeReports(execution, this.ledger.runItems(execution.getJobInstance().getInstanceId()));
		return ExitCodes.MIGRATED;
	}

	private void writeReports(JobExecution execution, List<RunItem> items) {
		try {
			List<Path> files = ReportWriter.write(this.summaries.of(execution), items, this.properties.reportsDir());
			this.out.println("reports: " + files.stream().map(Path::toString).collect(Collectors.joining(", ")));
		}
		catch (UncheckedIOException ex) {
			System.err.println("image-ferry: could not write the reports to " + this.properties.reportsDir() + ": "
					+ ex.getCause().getMessage());
		}
	}

	/**
	 * The Prometheus textfile, and the Pushgateway when configured; a failure here fails
	 * no run.
	 */
	private void publishMetrics(JobExecution execution, List<RunItem> items) {
		this.metrics.recordRun(this.summaries.of(execution), items);
		try {
			PrometheusExport.writeTextfile(this.meters, this.properties.metricsTextfile());
		}
		catch (IOException ex) {
			System.err.println("image-ferry: could not write the metrics to " + this.properties.metricsTextfile() + ": "
					+ ex.getMessage());
		}
		if (this.properties.pushgatewayUrl() != null) {
			try {
				PrometheusExport.push(this.meters, this.properties.pushgatewayUrl(),
						execution.getJobParameters().getString(MigrationParameters.PROFILE), this.http);
			}
			catch (IOException ex) {
				System.err.println("image-ferry: could not push the metrics: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private int stop(Command command) throws Exception {
		JobExecution execution = (command.execution() != null) ? this.executions.byId(command.execution())
				: this.executions.latest(command.profile(), Executions.running(), "running run");
		if (!execution.getStatus().isRunning()) {
			throw new UsageException(
					"execution " + execution.getId() + " is not running (" + execution.getStatus() + ")");
		}
		new StopRequest(this.jobRepository).send(execution);
		this.out.printf("asked run %d (execution %d) to stop; it ends STOPPED at its next cycle, and `restart` "
				+ "resumes it%n", execution.getJobInstance().getInstanceId(), execution.getId());
		return ExitCodes.MIGRATED;
	}

	private static int fail(int code, String message) {
		System.err.println("image-ferry: " + message);
		return code;
	}

}

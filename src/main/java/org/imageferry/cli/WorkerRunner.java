package org.imageferry.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import org.springframework.batch.core.BatchStatus;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.stereotype.Component;

import org.imageferry.job.FerryProperties;
import org.imageferry.report.PrometheusExport;
import org.imageferry.worker.CopyWorkerConfiguration;
import org.imageferry.worker.WorkerSlots;

/**
 * The {@code worker} command: checks that the profile names a database other processes
 * can share, starts listening for the manager's requests, and waits — for the slot it is
 * handed to end (exit 0 when the run ended or stopped, 1 when the slot failed), or for
 * SIGTERM or SIGINT, on which the copies under way finish their segment, the leases are
 * given up and the worker exits 0. At the slot's end it writes its metrics, labelled with
 * its name, to a textfile of its own ({@link PrometheusExport#workerTextfile}).
 */
@Component
@Profile(CopyWorkerConfiguration.PROFILE)
public class WorkerRunner {

	/** The Spring profile the command runs with. */
	public static final String PROFILE = CopyWorkerConfiguration.PROFILE;

	private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

	private static final String URL = "spring.datasource.url";

	private final Environment environment;

	private final IntegrationFlowContext flows;

	private final WorkerSlots slots;

	private final FerryProperties properties;

	private final PrometheusMeterRegistry meters;

	WorkerRunner(Environment environment, IntegrationFlowContext flows, WorkerSlots slots, FerryProperties properties,
			PrometheusMeterRegistry meters) {
		this.environment = environment;
		this.flows = flows;
		this.slots = slots;
		this.properties = properties;
		this.meters = meters;
	}

	/**
	 * @return the exit code
	 */
	public int execute(Command command) {
		try {
			return serve(command);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ExitCodes.RUN_FAILED;
		}
	}

	/**
	 * The worker's textfile, named by the worker; a failure here fails no slot.
	 */
	private void writeMetrics(String worker) {
		Path file = PrometheusExport.workerTextfile(this.properties.metricsTextfile(), worker);
		try {
			PrometheusExport.writeTextfile(this.meters, file);
		}
		catch (IOException ex) {
			System.err.println("image-ferry: could not write the metrics to " + file + ": " + ex.getMessage());
		}
	}

	private int serve(Command command) throws InterruptedException {
		String url = this.environment.getProperty(URL);
		if (url == null || (url.startsWith("jdbc:h2:")
				&& !url.toUpperCase(java.util.Locale.ROOT).contains("AUTO_SERVER=TRUE"))) {
			System.err.println("image-ferry: a worker needs " + URL + " in the profile naming the database the run "
					+ "uses, shared with it: the PostgreSQL server (jdbc:postgresql://…); an H2 file is shared only "
					+ "by processes on one host, with AUTO_SERVER=TRUE in its URL"
					+ ((url == null) ? " (not set: the run's H2 file in its data directory is its own)" : ""));
			return ExitCodes.USAGE;
		}
		Signal.handle(new Signal("TERM"), (signal) -> this.slots.stop());
		Signal.handle(new Signal("INT"), (signal) -> this.slots.stop());
		this.flows.getRegistry().values().forEach(IntegrationFlowContext.IntegrationFlowRegistration::start);
		log.info("worker waiting for a run of {} to hand it a slot", command.profile());
		Optional<BatchStatus> ended = Optional.empty();
		while (ended.isEmpty()) {
			ended = this.slots.awaitEnd(Duration.ofSeconds(1));
			if (ended.isEmpty() && this.slots.stopping() && !this.slots.busy()) {
				log.info("worker stopped before a slot came");
				return ExitCodes.MIGRATED;
			}
		}
		log.info("the worker's slot ended {}", ended.get());
		this.slots.worker().ifPresent(this::writeMetrics);
		return (ended.get() == BatchStatus.FAILED) ? ExitCodes.RUN_FAILED : ExitCodes.MIGRATED;
	}

}

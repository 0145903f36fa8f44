package org.imageferry.testsupport;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.await.TaskWatcher;
import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.CredentialsSource;
import org.imageferry.cloud.Retries;
import org.imageferry.export.ExportTasks;
import org.imageferry.export.Preflight;
import org.imageferry.job.Deadline;
import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationPump;
import org.imageferry.job.MigrationPumps;
import org.imageferry.job.MigrationRoute;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leases;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.report.FerryMetrics;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.transfer.BandwidthCap;
import org.imageferry.transfer.SegmentCopier;
import org.imageferry.worker.LeasedCopies;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The pipeline's heart — pump, task watchers, pre-flight — over the simulated cloud (DFW
 * to IAD, alice's account on both sides) with a clock that moves only when a test moves
 * it: the product's (poll pacing, deadlines, holds) and the cloud's (task and request
 * times, rate limits) are one {@link SteppedClock}. Only task latencies pass in real
 * time, so a test picks tasks that end at once ({@link ScriptedCloud#quickTasks()}) or
 * never ({@link ScriptedCloud#slowTasks()}).
 * <p>
 * Every construction of the heart's objects, and every ledger write a test starts from,
 * is here and nowhere else: the tests call the objects' behaviour and read the ledger,
 * the simulator's record, the clock and the meters, so a change to how the heart is
 * assembled or how the ledger is written changes this class only.
 */
public final class HeartRig implements AutoCloseable {

	/** The run (job instance) the rig's images belong to. */
	public static final long RUN = 1;

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-08-03T01:00:00Z"));

	private final ScriptedCloud cloud;

	private final HikariDataSource dataSource;

	private final DataSourceTransactionManager transactions;

	private final Ledger ledger;

	private final FerryProperties properties;

	private final MigrationRoute route;

	private final FerryMetrics metrics = new FerryMetrics(new SimpleMeterRegistry());

	private final StepExecution step = new StepExecution("migrate",
			new JobExecution(1, new JobInstance(RUN, "imageFerry"), new JobParameters()));

	private final List<AutoCloseable> built = new ArrayList<>();

	/** What the test scripts on each of the cloud's answers, beside the metrics. */
	private volatile CloudObserver script = CloudObserver.NONE;

	/**
	 * @param cloud the simulated cloud's settings; its clock is the rig's
	 * @param profile job profile keys under {@code image-ferry.}, as an operator writes
	 * them (e.g. {@code poll-interval: 30s}); the route, identity and data directory are
	 * the rig's
	 */
	public HeartRig(Path dir, SimulatorConfig.Builder cloud, Map<String, String> profile) throws Exception {
		this.cloud = new ScriptedCloud(cloud, this.clock);
		Map<String, String> keys = new HashMap<>();
		keys.put("image-ferry.identity-url", this.cloud.identityUrl());
		keys.put("image-ferry.source.region", ScriptedCloud.SOURCE);
		if (profile.keySet().stream().noneMatch((key) -> key.startsWith("targets"))) {
			keys.put("image-ferry.target.region", ScriptedCloud.TARGET);
		}
		keys.put("image-ferry.data-dir", dir.resolve("data").toString());
		keys.put("image-ferry.consistency-wait", "5s");
		profile.forEach((key, value) -> keys.put("image-ferry." + key, value));
		this.properties = new Binder(new MapConfigurationPropertySource(keys)).bindOrCreate("image-ferry",
				FerryProperties.class);
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl("jdbc:h2:file:" + dir.toAbsolutePath().resolve("ledger")
				+ ";WRITE_DELAY=500;OPTIMIZE_REUSE_RESULTS=FALSE");
		this.dataSource.setUsername("sa");
		this.dataSource.setMaximumPoolSize(16);
		LedgerSchema.migrate(this.dataSource);
		this.transactions = new DataSourceTransactionManager(this.dataSource);
		this.ledger = new Ledger(this.dataSource, this.transactions, this.clock);
		// no retries: a scripted outage stops a call at once, as the product's does after
		// its retries
		Retries retries = new Retries(0, Duration.ofMillis(1), Duration.ofMillis(1), new CloudObserver() {

			@Override
			public void answered(String region, String service, int status) {
				HeartRig.this.metrics.answered(region, service, status);
				HeartRig.this.script.answered(region, service, status);
			}

		});
		this.route = MigrationRoute.connect(this.properties,
				new CredentialsSource(Map.of("RAX_USERNAME", this.cloud.alice().username(), "RAX_API_KEY",
						this.cloud.alice().apiKey()), null),
				HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), retries, this.clock, false);
	}

	// --- the heart's objects

	/** The {@code migrate} step's tasklet for the rig's run, as the step starts it. */
	public MigrationPump pump() {
		return pump(Deadline.NONE);
	}

	/** The step's tasklet for a run that stops at {@code deadline} (a window's end). */
	public MigrationPump pump(Deadline deadline) {
		MigrationPump pump = MigrationPumps.of(this.ledger, this.route, this.properties, RUN,
				new SegmentCopier(1, Duration.ofMillis(1), meters(), BandwidthCap.NONE), meters(), deadline);
		pump.beforeStep(this.step);
		this.built.add(pump::stop);
		return pump;
	}

	/**
	 * A worker's loop of leased copies of the rig's run, as a worker process builds it
	 * (the profile's {@code transfer-concurrency} and {@code lease}).
	 */
	public LeasedCopies leasedCopies(String worker) {
		LeasedCopies copies = LeasedCopies.of(leases(), this.ledger, RUN, worker, this.route, this.properties,
				new SegmentCopier(1, Duration.ofMillis(1), meters(), BandwidthCap.NONE), this.clock);
		this.built.add(copies);
		return copies;
	}

	/** The leases on the rig's ledger. */
	public Leases leases() {
		return new Leases(this.dataSource, this.transactions, this.ledger, this.clock);
	}

	/** One cycle of the step, as its repeat loop calls it (without the pause). */
	public RepeatStatus cycle(MigrationPump pump) {
		return pump.execute(this.step.createStepContribution(), new ChunkContext(new StepContext(this.step)));
	}

	/**
	 * Waits as the step does between cycles ({@link MigrationPump#pause()}: until the
	 * next poll is due or a thread of the pump ends its work), then runs one cycle: the
	 * cycle that sees what woke the pause. Fails if the pause lasts 20 s (the clock is
	 * the test's: a poll falls due only when the test moves it).
	 */
	public RepeatStatus nextCycle(MigrationPump pump) {
		assertTimeoutPreemptively(Duration.ofSeconds(20), pump::pause, "the pump's pause did not end in 20 s");
		return cycle(pump);
	}

	/**
	 * Runs the step from here as its repeat loop does, cycle and pause, until it finishes
	 * (or a cycle throws); fails after 20 s.
	 */
	public RepeatStatus run(MigrationPump pump) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		RepeatStatus status = cycle(pump);
		while (status != RepeatStatus.FINISHED) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the step did not finish in 20 s");
			}
			status = nextCycle(pump);
		}
		return status;
	}

	/**
	 * Whether a cycle told the step to end STOPPED at its next interruption check, as a
	 * stop request does.
	 */
	public boolean stepToldToStop() {
		return this.step.isTerminateOnly();
	}

	/** The step's exit code as it ends, once the pump's listener has had its say. */
	public String stepExitCode(MigrationPump pump) {
		return pump.afterStep(this.step).getExitCode();
	}

	/** A watcher of the source region's exports, as the pump builds its own. */
	public TaskWatcher exportWatcher() {
		Workers workers = new Workers(this.properties.apiConcurrency(), "test-api");
		this.built.add(workers);
		return new TaskWatcher(this.ledger, new ExportTasks(this.ledger, this.route.source()), this.route.source(),
				this.properties.taskDeadline(), this.properties.pollInterval(), workers, meters());
	}

	/**
	 * Checks each image of the run still pending, for each target, and records the
	 * verdict.
	 */
	public void preflight(boolean force) {
		for (MigrationRoute.Target target : this.route.targets()) {
			Preflight preflight = new Preflight(this.route.source(), target.side(),
					this.properties.sizeLimit().toBytes(), force);
			for (ImageRecord row : this.ledger.images(RUN, List.of(target.route()), Integer.MAX_VALUE,
					ImageState.PENDING)) {
				Preflight.record(this.ledger, row, preflight.check(row.sourceImageId()));
			}
		}
	}

	// --- the cloud as the heart's clients meet it

	public ScriptedCloud cloud() {
		return this.cloud;
	}

	/** Scripts something on every answer the cloud gives the heart, from then on. */
	public void onAnswer(CloudObserver script) {
		this.script = script;
	}

	/**
	 * Creates an export task for the image as a process that crashed before recording its
	 * id would have; answers the task's id.
	 */
	public String exportPostedByCrashedProcess(String imageId) {
		return this.route.source().images().createExport(imageId, this.route.source().container()).id();
	}

	// --- the ledger as a test starts from it

	/** Records the run's manifest: the images, in this order, pending. */
	public void record(String... imageIds) {
		List<ManifestEntry> entries = new ArrayList<>();
		for (int i = 0; i < imageIds.length; i++) {
			entries.add(new ManifestEntry(i + 2, imageIds[i], null));
		}
		this.ledger.recordRun(RUN, this.route.targets().stream().map(MigrationRoute.Target::ledger).toList(),
				new Manifest("sha", entries, List.of(), List.of()), false);
	}

	/** Records the run and passes its images' pre-flight: ready to export. */
	public void ready(String... imageIds) {
		record(imageIds);
		preflight(false);
	}

	/**
	 * An export intent committed, as before its POST, whose task id was never recorded
	 * (the process ended before the answer came, or the answer was lost).
	 */
	public void exportIntent(String imageId) {
		this.ledger.update(Transition.taskRequested(row(imageId).id(), TaskKind.EXPORT, this.ledger.instant()));
	}

	/**
	 * An image whose import succeeded: its new image, with only a name, is in the target
	 * region; answers the new image's id.
	 */
	public String imported(String imageId) {
		String targetId = this.cloud.importedImage("imported-" + imageId);
		this.ledger.update(Transition.imported(row(imageId).id(), targetId, this.ledger.instant()));
		return targetId;
	}

	/** The image's row for the first target. */
	public ImageRecord row(String imageId) {
		return row(imageId, this.route.targets().get(0).name());
	}

	/** The image's row for the target of that name. */
	public ImageRecord row(String imageId, String target) {
		String route = this.route.targets()
			.stream()
			.filter((t) -> t.name().equals(target))
			.findFirst()
			.orElseThrow()
			.route();
		return this.ledger.find(route, imageId).orElseThrow();
	}

	/** The rig's route: the source and its targets, connected. */
	public MigrationRoute route() {
		return this.route;
	}

	public Ledger ledger() {
		return this.ledger;
	}

	public List<ImageRecord> rows(ImageState state) {
		return this.ledger.images(RUN, state);
	}

	// --- time and meters

	public Instant now() {
		return this.clock.instant();
	}

	public void advance(Duration step) {
		this.clock.advance(step);
	}

	public void set(Instant at) {
		this.clock.set(at);
	}

	public MeterRegistry meters() {
		return this.metrics.registry();
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable each : this.built) {
			each.close();
		}
		this.dataSource.close();
		this.cloud.close();
	}

}

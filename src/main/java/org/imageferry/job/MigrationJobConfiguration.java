package org.imageferry.job;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatContext;
import org.springframework.batch.infrastructure.repeat.RepeatListener;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.repeat.support.RepeatTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import org.imageferry.cloud.CredentialsSource;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.TlsTrust;
import org.imageferry.export.PendingImageReader;
import org.imageferry.export.Preflight;
import org.imageferry.export.PreflightProcessor;
import org.imageferry.export.PreflightProcessor.Checked;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.report.FerryMetrics;
import org.imageferry.transfer.BandwidthCap;
import org.imageferry.transfer.SegmentCopier;

/**
 * The {@code imageFerry} job: {@code load} (manifest into the ledger) → {@code preflight}
 * (each image checked in the source region) → {@code migrate} (the ledger-driven pipeline
 * of exports, transfers, imports and finishing). Step names are restart keys: do not
 * rename them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FerryProperties.class)
public class MigrationJobConfiguration {

	public static final String JOB = "imageFerry";

	/** The pipeline's step. */
	public static final String MIGRATE = "migrate";

	/**
	 * The step that hands the copies to workers, beside {@link #MIGRATE}, when the
	 * profile has {@code workers} (defined by {@code worker.CopyManagerConfiguration}).
	 */
	public static final String COPY = "copy";

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * The window of this process's run, which the command opens before the job starts.
	 */
	@Bean
	RunWindow runWindow(FerryProperties properties, Clock clock) {
		return new RunWindow(properties.window(), clock);
	}

	/**
	 * The process's one bandwidth cap: a singleton, shared by every segment copy of every
	 * step execution, and read by the progress line.
	 */
	@Bean
	BandwidthCap bandwidthCap(FerryProperties properties, Clock clock) {
		return BandwidthCap.of(properties.bandwidthLimit(), clock);
	}

	/**
	 * Spring Boot's datasource holds the job repository and the ledger: by default an H2
	 * file database in the profile's data directory, sized for the run's concurrency and
	 * timed ({@link FerryDataSource}).
	 */
	@Bean
	static FerryDataSource ferryDataSource(ObjectProvider<FerryProperties> properties,
			ObjectProvider<FerryMetrics> metrics, Environment environment) {
		return new FerryDataSource(properties, metrics, environment);
	}

	/** Reads the ledger only once Flyway has migrated it ({@code db/migration}). */
	@Bean
	@DependsOnDatabaseInitialization
	Ledger ledger(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
		return new Ledger(dataSource, transactionManager, clock);
	}

	/**
	 * The one trust decision: the HttpClient's SSLContext, which the accounts' sessions
	 * hand on to OpenStack4j.
	 */
	@Bean
	TlsTrust tlsTrust(FerryProperties properties) {
		return TlsTrust.of(properties.caBundle());
	}

	@Bean
	HttpClient httpClient(FerryProperties properties, TlsTrust trust) {
		return HttpClient.newBuilder()
			.executor(Runnable::run)
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(trust.sslContext())
			.connectTimeout(properties.httpTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Bean
	Retries retries(FerryProperties properties, FerryMetrics metrics) {
		return new Retries(properties.retries(), properties.retryDelay(), Duration.ofMinutes(1), metrics);
	}

	@Bean
	RouteConnector routeConnector(FerryProperties properties, HttpClient http, Retries retries, Clock clock) {
		return new RouteConnector(properties, new CredentialsSource(System.getenv(), properties.credentialsFile()),
				http, retries, clock);
	}

	/**
	 * {@code load}, {@code preflight}, {@code migrate}; with workers, {@code migrate} and
	 * {@code copy} side by side (a split flow): the pump exports, imports and finishes
	 * while the workers copy, the two meeting in the ledger.
	 */
	@Bean
	Job imageFerryJob(JobRepository jobRepository, Step load, Step preflight, Step migrate,
			@Qualifier(COPY) ObjectProvider<Step> copy) {
		Step copying = copy.getIfAvailable();
		if (copying == null) {
			return new JobBuilder(JOB, jobRepository).start(load)
				.next(preflight)
				.next(migrate)
				.listener(windowClosedExit())
				.build();
		}
		Flow beside = new FlowBuilder<Flow>("migrateAndCopy").split(new SimpleAsyncTaskExecutor("copy-manager-"))
			.add(asInASimpleJob(migrate), asInASimpleJob(copying))
			.build();
		FlowBuilder<Flow> all = new FlowBuilder<>("ferry");
		all.start(load).on(COMPLETED).to(preflight).from(load).on(FAILED).fail().from(load).on("*").stop();
		all.from(preflight).on(COMPLETED).to(beside).from(preflight).on(FAILED).fail().from(preflight).on("*").stop();
		all.from(beside).on(COMPLETED).end().from(beside).on(FAILED).fail().from(beside).on("*").stop();
		return new JobBuilder(JOB, jobRepository).start(all.build()).end().listener(windowClosedExit()).build();
	}

	private static final String COMPLETED = ExitStatus.COMPLETED.getExitCode();

	private static final String FAILED = ExitStatus.FAILED.getExitCode();

	/**
	 * A step in a flow of its own that ends as the step would end a plain job: a flow's
	 * default is to fail on any exit code but {@code COMPLETED}, which would fail a run
	 * whose window closed ({@link Window#CLOSED}) or that was stopped, instead of
	 * stopping it for the next run to resume.
	 */
	private static Flow asInASimpleJob(Step step) {
		return new FlowBuilder<Flow>(step.getName() + "Flow").start(step)
			.on(COMPLETED)
			.end()
			.from(step)
			.on(FAILED)
			.fail()
			.from(step)
			.on("*")
			.stop()
			.build();
	}

	/**
	 * A run whose window closed ends STOPPED, as a stopped one does; its exit code says
	 * why ({@link Window#CLOSED}, the {@code migrate} step's), for the command's exit
	 * status and the report's label of the time until it resumed. Spring Batch sets a
	 * stopped job's exit code itself, so it is changed after the job.
	 */
	private static JobExecutionListener windowClosedExit() {
		return new JobExecutionListener() {

			@Override
			public void afterJob(JobExecution execution) {
				execution.getStepExecutions()
					.stream()
					.map(StepExecution::getExitStatus)
					.filter((exit) -> exit.getExitCode().equals(Window.CLOSED))
					.findFirst()
					.ifPresent(execution::setExitStatus);
			}

		};
	}

	@Bean
	Step load(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger,
			RouteConnector routes, FerryProperties properties) {
		return new StepBuilder("load", jobRepository)
			.tasklet(new LoadManifestTasklet(ledger, routes, properties.maxManifestLines()), transactionManager)
			.build();
	}

	@Bean
	Step preflight(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PendingImageReader pendingImages, PreflightProcessor preflightCheck, ItemWriter<Checked> preflightVerdicts,
			ThreadPoolTaskExecutor preflightWorkers) {
		return new StepBuilder("preflight", jobRepository).<ImageRecord, Checked>chunk(100)
			.transactionManager(transactionManager)
			.taskExecutor(preflightWorkers)
			.reader(pendingImages)
			.processor(preflightCheck)
			.writer(preflightVerdicts)
			.build();
	}

	/**
	 * Checks the images of a chunk several at a time: each check is two Images API
	 * requests, and one image at a time would leave a large manifest waiting on latency.
	 * The same {@code api-concurrency} threads serve every chunk (a thread per image
	 * would cost a thread start per check).
	 */
	@Bean
	ThreadPoolTaskExecutor preflightWorkers(FerryProperties properties) {
		ThreadPoolTaskExecutor workers = new ThreadPoolTaskExecutor();
		workers.setThreadNamePrefix("preflight-");
		workers.setCorePoolSize(properties.apiConcurrency());
		workers.setMaxPoolSize(properties.apiConcurrency());
		workers.setDaemon(true);
		return workers;
	}

	@Bean
	@StepScope
	PendingImageReader pendingImages(Ledger ledger, @Value("#{stepExecution}") StepExecution stepExecution) {
		return new PendingImageReader(ledger, stepExecution.getJobExecution().getJobInstance().getInstanceId());
	}

	@Bean
	@StepScope
	PreflightProcessor preflightCheck(RouteConnector routes, FerryProperties properties,
			@Value("#{jobParameters['" + MigrationParameters.FORCE + "']}") String force) {
		MigrationRoute route = routes.route();
		Map<String, Preflight> byRoute = new HashMap<>();
		route.targets()
			.forEach((target) -> byRoute.put(target.route(),
					new Preflight(route.source(), target.side(), properties.sizeLimit().toBytes(), force != null)));
		return new PreflightProcessor(byRoute);
	}

	@Bean
	ItemWriter<Checked> preflightVerdicts(Ledger ledger) {
		return (chunk) -> chunk.forEach((checked) -> Preflight.record(ledger, checked.image(), checked.verdict()));
	}

	@Bean
	Step migrate(JobRepository jobRepository, PlatformTransactionManager transactionManager, MigrationPump pump) {
		RepeatTemplate pacing = new RepeatTemplate();
		pacing.registerListener(new RepeatListener() {

			@Override
			public void after(RepeatContext context, RepeatStatus result) {
				if (result == RepeatStatus.CONTINUABLE) {
					pump.pause();
				}
			}

		});
		return new StepBuilder(MIGRATE, jobRepository).tasklet(pump, transactionManager)
			.stepOperations(pacing)
			.listener(pump)
			.build();
	}

	@Bean
	@StepScope
	MigrationPump pump(Ledger ledger, RouteConnector routes, FerryProperties properties, FerryMetrics metrics,
			BandwidthCap bandwidthCap, RunWindow window, @Value("#{stepExecution}") StepExecution stepExecution) {
		SegmentCopier copier = new SegmentCopier(properties.retries() + 1, properties.retryDelay(), metrics.registry(),
				bandwidthCap);
		long run = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		return new MigrationPump(ledger, run,
				Pipeline.of(ledger,
						routes.routeOf(stepExecution.getJobParameters().getString(MigrationParameters.ROUTE)),
						properties, run, copier, metrics.registry()),
				window.deadline());
	}

}

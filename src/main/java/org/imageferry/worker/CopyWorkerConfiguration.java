package org.imageferry.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Tags;

import org.postgresql.jdbc.PgConnection;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.jdbc.channel.PostgresChannelMessageTableSubscriber;
import org.springframework.integration.jdbc.channel.PostgresSubscribableChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.scheduling.PollerMetadata;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.PlatformTransactionManager;

import org.imageferry.job.FerryProperties;
import org.imageferry.job.RouteConnector;
import org.imageferry.ledger.Leases;
import org.imageferry.ledger.Ledger;
import org.imageferry.report.FerryMetrics;
import org.imageferry.transfer.BandwidthCap;
import org.imageferry.transfer.SegmentCopier;

/**
 * The worker's side of the copies ({@code worker --job …}, the Spring profile
 * {@value #PROFILE}): the slot step, {@value #SLOT_STEP}, which a request from the
 * manager's {@code copy} step runs here ({@link RemotePartitioningWorkerStepBuilder}) as
 * a loop of leased copies ({@link SlotTasklet}). Kept apart from the manager's
 * configuration, as spring-batch-samples' remote partitioning and fineract's COB keep
 * theirs: a worker builds no pump, and a manager no slot.
 */
@Configuration(proxyBeanMethods = false)
@Profile(CopyWorkerConfiguration.PROFILE)
@Import(CopyChannels.class)
public class CopyWorkerConfiguration {

	/** The Spring profile the {@code worker} command runs with. */
	public static final String PROFILE = "worker";

	/**
	 * The step a slot runs: a restart key, like every step name (the manager's partitions
	 * are {@code copySlot:slot1} …).
	 */
	static final String SLOT_STEP = "copySlot";

	@Bean
	WorkerSlots workerSlots() {
		return new WorkerSlots();
	}

	@Bean
	Leases leases(DataSource dataSource, PlatformTransactionManager transactionManager, Ledger ledger, Clock clock) {
		return new Leases(dataSource, transactionManager, ledger, clock);
	}

	/**
	 * The requests this worker takes: the first of the shared channel's, past
	 * {@link OneSlot}.
	 */
	@Bean
	DirectChannel slotRequests() {
		return new DirectChannel();
	}

	@Bean
	IntegrationFlow oneSlot(MessageChannel copyRequests, DirectChannel slotRequests, WorkerSlots slots,
			JdbcChannelMessageStore copyRequestStore) {
		return IntegrationFlow.from(copyRequests)
			.handle(new OneSlot(slots, copyRequests, copyRequestStore, slotRequests,
					new SimpleAsyncTaskExecutor("image-ferry-slot-")))
			.get();
	}

	@Bean(SLOT_STEP)
	Step copySlot(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DirectChannel slotRequests, SlotTasklet slotTasklet, WorkerSlots slots, BeanFactory beanFactory) {
		return new RemotePartitioningWorkerStepBuilder(SLOT_STEP, jobRepository).inputChannel(slotRequests)
			.beanFactory(beanFactory)
			.tasklet(slotTasklet, transactionManager)
			.listener(slots)
			.build();
	}

	@Bean
	@StepScope
	SlotTasklet slotTasklet(Leases leases, Ledger ledger, RouteConnector routes, FerryProperties properties,
			FerryMetrics metrics, BandwidthCap bandwidthCap, Clock clock, JobRepository jobRepository,
			WorkerSlots slots, @Value("#{stepExecution}") StepExecution slot) {
		long run = slot.getJobExecution().getJobInstance().getInstanceId();
		String worker = host() + ":" + ProcessHandle.current().pid() + "/"
				+ slot.getExecutionContext().getInt(Slots.SLOT, 0);
		SegmentCopier copier = new SegmentCopier(properties.retries() + 1, properties.retryDelay(), metrics.registry(),
				bandwidthCap, Tags.of("worker", worker));
		LeasedCopies copies = LeasedCopies.of(leases, ledger, run, worker,
				routes.routeOf(slot.getJobParameters().getString(org.imageferry.job.MigrationParameters.ROUTE)),
				properties, copier, clock);
		SlotTasklet tasklet = new SlotTasklet(copies, jobRepository, properties.lease());
		slots.started(tasklet, worker);
		return tasklet;
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "worker";
		}
	}

	/** On H2 (one host): the requests polled from the table every second. */
	@Configuration(proxyBeanMethods = false)
	@Profile(PROFILE)
	@ConditionalOnExpression("!" + CopyChannels.ON_POSTGRESQL)
	static class Polled {

		/**
		 * The table, polled while this worker has no slot: one that serves its slot, or
		 * stops, asks no more, and takes no request from the others' polls.
		 */
		@Bean
		MessageChannel copyRequests(JdbcChannelMessageStore copyRequestStore, WorkerSlots slots) {
			return new QueueChannel(new MessageGroupQueue(copyRequestStore, CopyChannels.REQUESTS)) {
				@Override
				protected Message<?> doReceive(long timeout) {
					return slots.listening() ? super.doReceive(timeout) : null;
				}
			};
		}

		/**
		 * One request at a time, in a transaction with what {@link OneSlot} does with it.
		 */
		@Bean(PollerMetadata.DEFAULT_POLLER)
		PollerMetadata poller(PlatformTransactionManager transactionManager) {
			return Pollers.fixedDelay(Duration.ofSeconds(1))
				.maxMessagesPerPoll(1)
				.transactional(transactionManager)
				.getObject();
		}

	}

	/**
	 * On PostgreSQL: the requests pushed by {@code LISTEN/NOTIFY} (the table's trigger),
	 * on a connection of their own outside the pool, as Spring Integration's subscriber
	 * needs.
	 */
	@Configuration(proxyBeanMethods = false)
	@Profile(PROFILE)
	@ConditionalOnExpression(CopyChannels.ON_POSTGRESQL)
	static class Notified {

		private static final long LOOK_AGAIN_SECONDS = 10;

		@Bean
		PostgresChannelMessageTableSubscriber copyRequestSubscriber(DataSourceProperties database) {
			return new PostgresChannelMessageTableSubscriber(() -> DriverManager
				.getConnection(database.determineUrl(), database.determineUsername(), database.determinePassword())
				.unwrap(PgConnection.class));
		}

		@Bean
		MessageChannel copyRequests(JdbcChannelMessageStore copyRequestStore,
				PostgresChannelMessageTableSubscriber copyRequestSubscriber,
				PlatformTransactionManager transactionManager) {
			return CopyChannels.notified(copyRequestStore, copyRequestSubscriber, transactionManager);
		}

		/**
		 * The table asked again every {@value #LOOK_AGAIN_SECONDS} s while this worker
		 * listens: a request whose notification came while another worker held it, and
		 * which that worker's end put back uncommitted, is found without a new one.
		 */
		@Bean(destroyMethod = "shutdownNow")
		ScheduledExecutorService lookAgain(MessageChannel copyRequests) {
			ScheduledExecutorService timer = Executors
				.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("image-ferry-look-again-"));
			timer.scheduleWithFixedDelay(((PostgresSubscribableChannel) copyRequests)::notifyUpdate, LOOK_AGAIN_SECONDS,
					LOOK_AGAIN_SECONDS, TimeUnit.SECONDS);
			return timer;
		}

	}

}

package org.imageferry.worker;

import java.time.Duration;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.store.MessageGroupQueue;

import org.imageferry.job.FerryProperties;
import org.imageferry.job.MigrationJobConfiguration;

/**
 * The manager's side of the copies, when the profile has {@code workers}: the
 * {@code copy} step, which runs beside {@code migrate} (the job joins it by its name) and
 * hands one slot ({@link Slots}) to each of the {@code workers} through the database
 * ({@link CopyChannels}). It learns of the slots' ends from the job repository, as
 * spring-batch-samples' polling manager does: no reply channel, so a manager restarted in
 * another process still finds them.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!" + CopyWorkerConfiguration.PROFILE)
@ConditionalOnExpression("${image-ferry.workers:0} > 0")
@Import(CopyChannels.class)
public class CopyManagerConfiguration {

	/**
	 * The requests to the workers, stored in the shared database; sent, never read here.
	 */
	@Bean
	QueueChannel copyRequestsOut(JdbcChannelMessageStore copyRequestStore) {
		return new QueueChannel(new MessageGroupQueue(copyRequestStore, CopyChannels.REQUESTS));
	}

	@Bean(MigrationJobConfiguration.COPY)
	Step copy(JobRepository jobRepository, QueueChannel copyRequestsOut, FerryProperties properties) {
		// a slot's end is seen within a third of a lease (at most 10 s)
		Duration poll = properties.lease().dividedBy(3);
		return new RemotePartitioningManagerStepBuilder(MigrationJobConfiguration.COPY, jobRepository)
			.partitioner(CopyWorkerConfiguration.SLOT_STEP, new Slots())
			.gridSize(properties.workers())
			.outputChannel(copyRequestsOut)
			.pollInterval(Math.min(poll.toMillis(), 10_000))
			.build();
	}

}

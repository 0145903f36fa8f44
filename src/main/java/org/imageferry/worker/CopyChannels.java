package org.imageferry.worker;

import java.util.concurrent.Executors;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.integration.jdbc.channel.PostgresChannelMessageTableSubscriber;
import org.springframework.integration.jdbc.channel.PostgresSubscribableChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.H2ChannelMessageStoreQueryProvider;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The transport of the {@code copy} step's requests from the manager to the workers: a
 * Spring Integration channel kept in the shared database ({@code INT_CHANNEL_MESSAGE},
 * Flyway's {@code V5}), so that nothing more than the database has to run or be reached —
 * the job repository and the ledger are there already. On PostgreSQL a worker is woken by
 * {@code LISTEN/NOTIFY} (the table's trigger); on H2 (one host, for tests and trials) it
 * polls the table. Imported by the manager's and the worker's configuration alike, and
 * only by them: not a {@code @Configuration}, so that component scanning does not bring
 * Spring Integration (and its {@code @EnableIntegration} infrastructure) into every
 * command — {@code status} and the dry run started 0.5 s slower with it.
 */
@EnableIntegration
class CopyChannels {

	/** The message group the requests are kept under. */
	static final String REQUESTS = "image-ferry-copy-requests";

	/** What decides the database's dialect: the URL the operator names. */
	static final String ON_POSTGRESQL = "'${spring.datasource.url:}'.startsWith('jdbc:postgresql:')";

	@Bean
	JdbcChannelMessageStore copyRequestStore(DataSource dataSource,
			@Value("#{" + ON_POSTGRESQL + "}") boolean postgresql) {
		return store(dataSource, postgresql);
	}

	static JdbcChannelMessageStore store(DataSource dataSource, boolean postgresql) {
		JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
		store.setChannelMessageStoreQueryProvider(
				postgresql ? new PostgresChannelMessageStoreQueryProvider() : new H2ChannelMessageStoreQueryProvider());
		// the store deserializes only the classes it is told to trust: the request and
		// the message carrying it
		store.addAllowedPatterns("org.springframework.batch.integration.partition.StepExecutionRequest",
				"org.springframework.messaging.*", "org.springframework.messaging.support.*",
				"org.springframework.integration.*", "java.util.*", "java.lang.*");
		return store;
	}

	/**
	 * The requests on PostgreSQL, pushed to a worker by {@code LISTEN/NOTIFY} (the
	 * table's trigger): each poll from the table and what the worker's handler
	 * ({@link OneSlot}) does with it in one transaction, on a thread of the channel's
	 * own, not the one that listens.
	 */
	static PostgresSubscribableChannel notified(JdbcChannelMessageStore store,
			PostgresChannelMessageTableSubscriber subscriber, PlatformTransactionManager transactionManager) {
		PostgresSubscribableChannel channel = new PostgresSubscribableChannel(store, REQUESTS, subscriber);
		channel.setTransactionManager(transactionManager);
		// one poll at a time, in the order the notifications come
		channel.setDispatcherExecutor(
				Executors.newSingleThreadExecutor(new CustomizableThreadFactory("image-ferry-requests-")));
		return channel;
	}

}

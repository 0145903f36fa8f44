package org.imageferry.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgConnection;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.jdbc.channel.PostgresChannelMessageTableSubscriber;
import org.springframework.integration.jdbc.channel.PostgresSubscribableChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.integration.store.MessageGroup;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's hand on the shared request channel, on a real PostgreSQL (its
 * {@code LISTEN/NOTIFY} channel, as {@link CopyChannels#notified} builds it): each worker
 * takes one slot request, and a request it does not take is never out of the table in a
 * committed state, whatever its process does next.
 */
class OneSlotTests {

	private static final Duration SETTLED = Duration.ofSeconds(1);

	private final List<Worker> workers = new ArrayList<>();

	private JdbcDatabase database;

	private HikariDataSource pool;

	private DataSourceTransactionManager transactions;

	private JdbcChannelMessageStore store;

	@BeforeEach
	void open() {
		this.database = PostgresServer.shared().createDatabase();
		this.pool = this.database.pool();
		this.transactions = new DataSourceTransactionManager(this.pool);
		this.store = CopyChannels.store(this.pool, true);
		this.store.afterPropertiesSet();
	}

	@AfterEach
	void close() {
		this.workers.forEach(Worker::close);
		this.pool.close();
	}

	@Test
	void eachWorkerTakesOneRequestAndWhatNoneTakesStaysForTheNext() throws Exception {
		// given
		Worker first = worker();
		Worker second = worker();

		// when: three requests for two listening workers
		for (int slot = 1; slot <= 3; slot++) {
			send(slot);
		}
		await(() -> first.taken.size() + second.taken.size() == 2, "two requests taken");
		Thread.sleep(SETTLED.toMillis());

		// then: one each; the third waits in the table, for a worker that comes later
		assertThat(first.taken).hasSize(1);
		assertThat(second.taken).hasSize(1);
		assertThat(waiting()).isEqualTo(1);
		Worker third = worker();
		await(() -> third.taken.size() == 1, "the waiting request taken by a third worker");
		assertThat(waiting()).isZero();
		List<Object> slots = List.of(first.taken.get(0).getPayload(), second.taken.get(0).getPayload(),
				third.taken.get(0).getPayload());
		assertThat(slots).containsExactlyInAnyOrder(1, 2, 3);
	}

	@Test
	void aStoppingWorkerTakesNoneAndLeavesItForAnother() throws Exception {
		// given
		Worker stopping = worker();
		stopping.slots.stop();

		// when
		send(1);
		Thread.sleep(SETTLED.toMillis());

		// then
		assertThat(stopping.taken).isEmpty();
		assertThat(waiting()).isEqualTo(1);
		Worker other = worker();
		await(() -> other.taken.size() == 1, "the request taken by another worker");
		assertThat(stopping.taken).isEmpty();
	}

	@Test
	void aRequestIsBackInTheTableWhenTheWorkerRefusingItEndsBeforeHandingItBack() throws Exception {
		// given: a worker that serves a slot already, whose process ends as it hands a
		// request back (its connection's transaction rolled back)
		AtomicInteger handingBack = new AtomicInteger();
		JdbcChannelMessageStore ending = new JdbcChannelMessageStore(this.pool) {
			@Override
			public MessageGroup addMessageToGroup(Object groupId, Message<?> message) {
				handingBack.incrementAndGet();
				throw new IllegalStateException("the process ends here");
			}
		};
		Worker busy = new Worker(this.database, this.store, ending, this.transactions, true);
		this.workers.add(busy);

		// when: a request comes, which it polls and refuses
		send(1);
		await(() -> handingBack.get() > 0, "the busy worker handing the request back");
		Thread.sleep(SETTLED.toMillis());

		// then: it is there for another worker
		assertThat(busy.taken).isEmpty();
		assertThat(waiting()).isEqualTo(1);
		Worker other = worker();
		await(() -> other.taken.size() == 1, "the request taken by another worker");
	}

	private void send(int slot) {
		this.store.addMessageToGroup(CopyChannels.REQUESTS, MessageBuilder.withPayload(slot).build());
	}

	private int waiting() {
		return this.store.messageGroupSize(CopyChannels.REQUESTS);
	}

	private Worker worker() {
		Worker worker = new Worker(this.database, this.store, this.store, this.transactions, false);
		this.workers.add(worker);
		return worker;
	}

	private static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** One worker process's listening: its own connection, channel and slot. */
	private static final class Worker {

		final WorkerSlots slots = new WorkerSlots();

		final List<Message<?>> taken = new CopyOnWriteArrayList<>();

		private final PostgresChannelMessageTableSubscriber subscriber;

		/**
		 * @param handBack where it puts back a request it does not take
		 * @param serving whether it serves a slot already
		 */
		Worker(JdbcDatabase database, JdbcChannelMessageStore store, JdbcChannelMessageStore handBack,
				DataSourceTransactionManager transactions, boolean serving) {
			assertThat(!serving || this.slots.take()).isTrue();
			this.subscriber = new PostgresChannelMessageTableSubscriber(
					() -> database.connect().unwrap(PgConnection.class));
			this.subscriber.start();
			PostgresSubscribableChannel channel = CopyChannels.notified(store, this.subscriber, transactions);
			channel.setBeanFactory(new DefaultListableBeanFactory());
			channel.afterPropertiesSet();
			channel.subscribe(new OneSlot(this.slots, channel, handBack, (message, timeout) -> this.taken.add(message),
					new SimpleAsyncTaskExecutor()));
		}

		void close() {
			this.subscriber.stop();
		}

	}

}

package org.imageferry.worker;

import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What stands between the shared request channel and the slot step: a worker serves one
 * slot. It runs inside the transaction that polled the request from the table (the
 * channel's or the poller's), so that the request is the worker's only if that commits:
 * <ul>
 * <li>the first request is taken: the slot starts on a thread of its own once the poll
 * commits (not inside it: a slot runs for hours), and the worker leaves the channel;</li>
 * <li>any later one — a notification can come before the leaving is done, and a stopping
 * worker takes none — goes back to the table in the same transaction as its poll: it is
 * never out of the table in a committed state, whatever happens to this process next, and
 * its insert wakes the other workers (the table's trigger).</li>
 * </ul>
 * Found on PostgreSQL: after a manager's restart, a worker of the dead execution took a
 * slot of the new one and never left; then, handed back after the poll, a request was
 * lost when the refusing worker's process ended first.
 */
final class OneSlot implements MessageHandler {

	private static final Logger log = LoggerFactory.getLogger(OneSlot.class);

	private final WorkerSlots slots;

	private final MessageChannel requests;

	private final JdbcChannelMessageStore store;

	private final MessageChannel slotRequests;

	private final Executor threads;

	/**
	 * @param requests the shared channel this handler is subscribed to or polls
	 * @param store the table behind it
	 * @param slotRequests where a taken request goes: the slot step
	 * @param threads where the slot runs, and the leaving (outside the channel's lock)
	 */
	OneSlot(WorkerSlots slots, MessageChannel requests, JdbcChannelMessageStore store, MessageChannel slotRequests,
			Executor threads) {
		this.slots = slots;
		this.requests = requests;
		this.store = store;
		this.slotRequests = slotRequests;
		this.threads = threads;
	}

	@Override
	public void handleMessage(Message<?> request) {
		if (!this.slots.take()) {
			log.debug("a slot request for another worker: back to the table");
			leave();
			this.store.addMessageToGroup(CopyChannels.REQUESTS, request);
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			start(request);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_COMMITTED) {
					start(request);
				}
				else {
					OneSlot.this.slots.release();
				}
			}
		});
	}

	private void start(Message<?> request) {
		leave();
		this.threads.execute(() -> this.slotRequests.send(request));
	}

	/**
	 * No more notifications for this worker. On another thread: the channel unsubscribes
	 * only once the dispatch under way (this one) ends. A polled channel (H2, one host)
	 * keeps polling; what it polls goes back.
	 */
	private void leave() {
		if (this.requests instanceof SubscribableChannel channel) {
			this.threads.execute(() -> channel.unsubscribe(this));
		}
	}

}

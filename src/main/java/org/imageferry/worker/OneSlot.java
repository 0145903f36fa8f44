package org.imageferry.worker;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;

/**
 * What stands between the shared request channel and the slot step: a worker serves one
 * slot, so a request that reaches it after its first — the channel's dispatcher asks the
 * table again as soon as a slot ends, and a restarted run's requests may be there then —
 * goes back to the table, whose trigger (or the others' polls) hands it to another
 * worker. Found on PostgreSQL: after a manager's restart, a worker of the dead execution
 * took a slot of the new one and never left, and the run waited for it for good.
 */
final class OneSlot implements MessageHandler {

	private static final Logger log = LoggerFactory.getLogger(OneSlot.class);

	/** How long a refused request waits before it goes back: no worker spins on it. */
	private static final Duration BACK_OFF = Duration.ofMillis(200);

	private final WorkerSlots slots;

	private final MessageChannel slotRequests;

	private final JdbcChannelMessageStore store;

	OneSlot(WorkerSlots slots, MessageChannel slotRequests, JdbcChannelMessageStore store) {
		this.slots = slots;
		this.slotRequests = slotRequests;
		this.store = store;
	}

	@Override
	public void handleMessage(Message<?> request) {
		if (this.slots.take()) {
			this.slotRequests.send(request);
			return;
		}
		log.debug("a slot request for another worker: handed back");
		try {
			Thread.sleep(BACK_OFF.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.store.addMessageToGroup(CopyChannels.REQUESTS, request);
	}

}

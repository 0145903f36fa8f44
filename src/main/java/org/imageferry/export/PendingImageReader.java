package org.imageferry.export;

import java.util.ArrayDeque;
import java.util.Deque;

import org.springframework.batch.infrastructure.item.ItemReader;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;

/**
 * Reads this run's images still {@code PENDING}, page by page in id order. It keeps no
 * restart state: the ledger is the process indicator, and an image checked before a crash
 * is no longer pending.
 */
public class PendingImageReader implements ItemReader<ImageRecord> {

	private static final int PAGE = 100;

	private final Ledger ledger;

	private final long run;

	private final Deque<ImageRecord> page = new ArrayDeque<>();

	private long lastId;

	public PendingImageReader(Ledger ledger, long run) {
		this.ledger = ledger;
		this.run = run;
	}

	@Override
	public ImageRecord read() {
		if (this.page.isEmpty()) {
			this.page.addAll(this.ledger.page(this.run, ImageState.PENDING, this.lastId, PAGE));
		}
		ImageRecord next = this.page.poll();
		if (next != null) {
			this.lastId = next.id();
		}
		return next;
	}

}

package org.imageferry.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The {@code copy} step's partitions: one slot per worker, not a share of the images. A
 * slot is a place for one worker process to run its loop of leased copies; which images
 * it copies is decided by the leases as it goes, so a slow or dead worker holds back no
 * image that another could copy.
 */
final class Slots implements Partitioner {

	/** The key of a slot's number in its execution context. */
	static final String SLOT = "slot";

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> slots = new LinkedHashMap<>();
		for (int slot = 1; slot <= gridSize; slot++) {
			ExecutionContext context = new ExecutionContext();
			context.putInt(SLOT, slot);
			slots.put("slot" + slot, context);
		}
		return slots;
	}

}

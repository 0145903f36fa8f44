package org.imageferry.worker;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code copy} step's partitions are slots, one per worker, numbered for the workers'
 * lease names.
 */
class SlotsTests {

	@Test
	void aSlotPerWorkerEachWithItsNumber() {
		// when
		Map<String, ExecutionContext> slots = new Slots().partition(3);

		// then
		assertThat(slots).containsOnlyKeys("slot1", "slot2", "slot3");
		assertThat(slots.get("slot2").getInt(Slots.SLOT)).isEqualTo(2);
	}

}

package org.imageferry.ledger;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one list of columns against the record read from them: a component added to
 * {@link ImageRecord} without its column (or the other way round) fails here, not in a
 * run.
 */
class LedgerColumnsTests {

	@Test
	void theSelectListReadsOneColumnPerRecordComponentInOrder() {
		// given: each component's column, by the naming the schema follows
		List<String> expected = Arrays.stream(ImageRecord.class.getRecordComponents())
			.map((component) -> component.getName().equals("leftovers") ? "CLEANUP_LEFTOVERS"
					: component.getName().replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT))
			.toList();

		// when
		List<String> selected = List.of(Column.selectList("").split(", "));

		// then: the ledger's own columns (the size rank, the stamp, the lease held now)
		// are not read; the worker that moved the image is
		assertThat(selected).containsExactlyElementsOf(expected)
			.doesNotContain("READY_SIZE", "UPDATED_AT", "LEASE_OWNER", "LEASE_UNTIL")
			.contains("TRANSFER_WORKER");
	}

	@Test
	void startingAnImageOverClearsWhatItsMigrationRecordedAndKeepsWhoItIs() {
		// when
		String cleared = Column.clearProgress();

		// then
		assertThat(cleared).contains("EXPORT_TASK_ID = NULL", "TARGET_IMAGE_ID = NULL", "FAILURE_CODE = NULL",
				"FINISHED_AT = NULL", "CLEANUP_LEFTOVERS = NULL", "READY_SIZE = NULL", "LEASE_OWNER = NULL",
				"LEASE_UNTIL = NULL", "TRANSFER_WORKER = NULL");
		assertThat(cleared).doesNotContain("ROUTE", "SOURCE_IMAGE_ID", "SOURCE_NAME", "SOURCE_SIZE", "TARGET_NAME",
				"STATE", "UPDATED_AT");
	}

}

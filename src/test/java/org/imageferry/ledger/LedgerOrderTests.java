package org.imageferry.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.LedgerSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order a stage starts waiting images in: largest first (ties in manifest order) or
 * manifest order, each read from its index without sorting the state's rows.
 */
class LedgerOrderTests {

	private static final String ROUTE = "DFW:alice->IAD:alice";

	private static final List<String> IMAGES = List.of("0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c",
			"7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70", "e8e5a942-f3ce-4531-8141-9a53b87c0a42",
			"3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
			"c0ffee00-1234-4abc-8def-0123456789ab");

	/** The sizes of the first five images once ready; the sixth stays pending. */
	private static final long[] SIZES = { 200, 500, 100, 500, 300 };

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	private Ledger ledger;

	@BeforeEach
	void open() {
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl("jdbc:h2:file:" + this.dir.toAbsolutePath().resolve("ledger"));
		this.dataSource.setUsername("sa");
		LedgerSchema.migrate(this.dataSource);
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource),
				Clock.fixed(Instant.parse("2025-03-01T02:00:00Z"), ZoneOffset.UTC));
		List<ManifestEntry> entries = IMAGES.stream()
			.map((id) -> new ManifestEntry(IMAGES.indexOf(id) + 2, id, null))
			.toList();
		this.ledger.recordRun(1, ROUTE, new Manifest("sha", entries, List.of(), List.of()), false);
		List<RunItem> items = this.ledger.runItems(1);
		for (int i = 0; i < SIZES.length; i++) {
			this.ledger.update(Transition.ready(items.get(i).image().id(), "image-" + i, SIZES[i]));
		}
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void largestFirstTakesTheLargestReadyImagesWithTiesInManifestOrder() {
		// when
		List<ImageRecord> first = this.ledger.images(1, 3, ImageState.READY, StartOrder.LARGEST_FIRST);

		// then: both 500s, the earlier line first, then the 300
		assertThat(first).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(1), IMAGES.get(3), IMAGES.get(4));
		assertThat(this.ledger.images(1, 10, ImageState.READY, StartOrder.LARGEST_FIRST))
			.extracting(ImageRecord::sourceSize)
			.containsExactly(500L, 500L, 300L, 200L, 100L);
	}

	@Test
	void manifestOrderTakesTheReadyImagesInTheOrderOfTheirLines() {
		// when
		List<ImageRecord> first = this.ledger.images(1, 3, ImageState.READY, StartOrder.MANIFEST);

		// then
		assertThat(first).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(0), IMAGES.get(1), IMAGES.get(2));
	}

	@Test
	void theLargestFirstQuestionReadsItsIndexSortedAndStopsAtItsLimit() {
		// when: H2's plan of the question the ledger asks
		String plan = new JdbcTemplate(this.dataSource).queryForObject("EXPLAIN SELECT I.ID FROM FERRY_IMAGE I "
				+ "USE INDEX (FERRY_IMAGE_BY_STATE_SIZE) JOIN FERRY_RUN_ITEM R USE INDEX (FERRY_RUN_ITEM_IMAGE) "
				+ "ON R.IMAGE_ROW_ID = I.ID WHERE R.JOB_INSTANCE_ID = 1 AND R.DISPOSITION = 'MIGRATE' "
				+ "AND I.STATE = 'READY' ORDER BY I.STATE, I.SOURCE_SIZE DESC, I.ID LIMIT 3", String.class);

		// then: no sort of the state's rows
		assertThat(plan).contains("FERRY_IMAGE_BY_STATE_SIZE").contains("index sorted");
	}

}

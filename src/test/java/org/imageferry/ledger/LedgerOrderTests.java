package org.imageferry.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order a stage starts waiting images in: largest first (ties in manifest order) or
 * manifest order, each read from its index without sorting the state's rows; the size
 * rank follows the image into and out of READY.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerOrderTests {

	@Parameter
	LedgerDatabase database;

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
		this.dataSource = this.database.create(this.dir).pool();
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
		List<ImageRecord> first = this.ledger.images(1, null, 3, ImageState.READY, StartOrder.LARGEST_FIRST);

		// then: both 500s, the earlier line first, then the 300
		assertThat(first).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(1), IMAGES.get(3), IMAGES.get(4));
		assertThat(this.ledger.images(1, null, 10, ImageState.READY, StartOrder.LARGEST_FIRST))
			.extracting(ImageRecord::sourceSize)
			.containsExactly(500L, 500L, 300L, 200L, 100L);
	}

	@Test
	void manifestOrderTakesTheReadyImagesInTheOrderOfTheirLines() {
		// when
		List<ImageRecord> first = this.ledger.images(1, null, 3, ImageState.READY, StartOrder.MANIFEST);

		// then
		assertThat(first).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(0), IMAGES.get(1), IMAGES.get(2));
	}

	@Test
	void anImageLeavingReadyLeavesTheRankingAndAnExportNotStartedComesBackInItsPlace() {
		// given: the largest (line 2) has its export requested, the 300 failed
		long largest = row(1);
		this.ledger.update(Transition.taskRequested(largest, TaskKind.EXPORT, Instant.parse("2025-03-01T02:00:01Z")));
		this.ledger
			.update(Transition.failed(row(4), "EXPORT_FAILED", "refused", Instant.parse("2025-03-01T02:00:02Z")));

		// when
		List<ImageRecord> without = this.ledger.images(1, null, 10, ImageState.READY, StartOrder.LARGEST_FIRST);
		this.ledger.update(Transition.taskNotStarted(largest, TaskKind.EXPORT));
		List<ImageRecord> back = this.ledger.images(1, null, 10, ImageState.READY, StartOrder.LARGEST_FIRST);

		// then
		assertThat(without).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(3), IMAGES.get(0), IMAGES.get(2));
		assertThat(back).extracting(ImageRecord::sourceImageId)
			.containsExactly(IMAGES.get(1), IMAGES.get(3), IMAGES.get(0), IMAGES.get(2));
		assertThat(ranks()).containsExactly(row(0) + " 200", row(1) + " 500", row(2) + " 100", row(3) + " 500",
				row(4) + " null", row(5) + " null");
	}

	@Test
	void anImageStartedOverIsUnrankedUntilPreflightFindsItReadyAgain() {
		// given: the 500 of line 2 migrated, and a forced run of the same manifest
		long image = row(1);
		this.ledger.update(Transition.migrated(image, List.of(), Instant.parse("2025-03-01T02:00:03Z")));
		List<ManifestEntry> entries = IMAGES.stream()
			.map((id) -> new ManifestEntry(IMAGES.indexOf(id) + 2, id, null))
			.toList();

		// when
		this.ledger.recordRun(2, ROUTE, new Manifest("sha", entries, List.of(), List.of()), true);

		// then: pending again, and not among the ready
		assertThat(this.ledger.image(image).state()).isEqualTo(ImageState.PENDING);
		assertThat(ranks()).allMatch((rank) -> rank.endsWith(" null"));
		assertThat(this.ledger.images(2, null, 10, ImageState.READY, StartOrder.LARGEST_FIRST)).isEmpty();
	}

	@Test
	void theLargestFirstQuestionReadsItsIndexSortedAndStopsAtItsLimit() {
		// given: more images than ready ones, so that a read past the ranks would show
		for (long rowId : List.of(row(0), row(2))) {
			this.ledger.update(Transition.migrated(rowId, List.of(), Instant.parse("2025-03-01T02:00:04Z")));
		}

		// when: H2's plan of the question the ledger asks, for more rows than are ready
		// (PostgreSQL takes no index hints: it plans from its statistics)
		Assumptions.assumeTrue(this.database == LedgerDatabase.H2, "the plan of H2's index hint");
		String plan = new NamedParameterJdbcTemplate(this.dataSource).queryForObject(
				"EXPLAIN ANALYZE " + this.ledger.largestReadyFirst(null),
				new MapSqlParameterSource("run", 1).addValue("state", "READY").addValue("limit", 10), String.class);

		// then: a range of the rank index, no sort, and only the three ranked rows read
		assertThat(plan).contains("FERRY_IMAGE_BY_READY_SIZE: READY_SIZE >= CAST(0 AS BIGINT)")
			.contains("index sorted")
			.contains("scanCount: 4 */");
	}

	private long row(int index) {
		return this.ledger.runItems(1).get(index).image().id();
	}

	/** Each row's id and rank, by id. */
	private List<String> ranks() {
		return new JdbcTemplate(this.dataSource).queryForList(
				"SELECT ID || ' ' || COALESCE(CAST(READY_SIZE AS VARCHAR), 'null') FROM FERRY_IMAGE ORDER BY ID",
				String.class);
	}

}

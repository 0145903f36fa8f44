package org.imageferry.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a clean-up left behind, kept with the migrated image in the ledger: recorded with
 * the image's move to {@code MIGRATED} in one commit, read back with the row, found per
 * route for the next run, replaced or cleared by it, dropped when the image starts over,
 * and the column added to a data directory an earlier version wrote.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerLeftoversTests {

	@Parameter
	LedgerDatabase database;

	private static final Instant NOW = Instant.parse("2025-03-01T02:00:00Z");

	private static final String ROUTE = "DFW:alice->IAD:alice";

	private static final String OTHER_ROUTE = "DFW:alice->ORD:bob";

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	private static final String B = "7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70";

	private static final String C = "e8e5a942-f3ce-4531-8141-9a53b87c0a42";

	private static final Leftover MANIFEST = new Leftover(Leftover.End.SOURCE, "DFW", "exports", A + ".vhd");

	private static final Leftover SEGMENT = new Leftover(Leftover.End.TARGET, "IAD", "my imports",
			A + ".vhd-00001/odd name");

	@TempDir
	Path dir;

	private JdbcDatabase db;

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	private Ledger ledger;

	@BeforeEach
	void open() {
		this.db = this.database.create(this.dir);
		reopen();
	}

	@AfterEach
	void close() {
		this.dataSources.forEach(HikariDataSource::close);
	}

	@Test
	void leftoversAreRecordedWithTheMoveToMigratedAndReadBackWithTheRow() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(A), false);
		long row = row(1, A);

		// when
		this.ledger.updateAll(List.of(Transition.imported(row, "t-a", NOW),
				Transition.migrated(row, List.of(), NOW).withLeftovers(List.of(MANIFEST, SEGMENT))));

		// then
		ImageRecord image = this.ledger.image(row);
		assertThat(image.state()).isEqualTo(ImageState.MIGRATED);
		assertThat(image.targetImageId()).isEqualTo("t-a");
		assertThat(image.leftovers()).containsExactly(MANIFEST, SEGMENT);
		assertThat(this.ledger.runItems(1).get(0).image().leftovers()).containsExactly(MANIFEST, SEGMENT);
		assertThat(SEGMENT).hasToString("target IAD my imports/" + A + ".vhd-00001/odd name");
	}

	@Test
	void aRoutesMigratedImagesWithLeftoversAreFoundPageByPage() {
		// given: A and C migrated with leftovers, B migrated clean; on another route, A
		// with leftovers too; an image not migrated is never swept
		this.ledger.recordRun(1, ROUTE, manifest(A, B, C), false);
		this.ledger.recordRun(2, OTHER_ROUTE, manifest(A), false);
		migrated(row(1, A), List.of(MANIFEST));
		migrated(row(1, B), List.of());
		migrated(row(1, C), List.of(SEGMENT));
		migrated(row(2, A), List.of(MANIFEST));
		this.ledger.recordRun(3, "DFW:alice->SYD:alice", manifest(B), false);
		this.ledger.update(Transition.taskRequested(row(3, B), TaskKind.EXPORT, NOW).withLeftovers(List.of(MANIFEST)));

		// when
		List<ImageRecord> first = this.ledger.withLeftovers(ROUTE, 0, 1);
		List<ImageRecord> second = this.ledger.withLeftovers(ROUTE, first.get(0).id(), 1);
		List<ImageRecord> third = this.ledger.withLeftovers(ROUTE, second.get(0).id(), 1);

		// then
		assertThat(first).extracting(ImageRecord::sourceImageId).containsExactly(A);
		assertThat(second).extracting(ImageRecord::sourceImageId).containsExactly(C);
		assertThat(third).isEmpty();
		assertThat(this.ledger.anyLeftovers(ROUTE)).isTrue();
		assertThat(this.ledger.anyLeftovers("DFW:alice->SYD:alice")).isFalse();
	}

	@Test
	void aLaterCleanUpReplacesTheLeftoversAndNothingLeftClearsThem() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(A, B), false);
		migrated(row(1, A), List.of(MANIFEST, SEGMENT));
		migrated(row(1, B), List.of(MANIFEST));

		// when
		this.ledger.recordLeftovers(Map.of(row(1, A), List.of(SEGMENT), row(1, B), List.of()));

		// then
		assertThat(this.ledger.image(row(1, A)).leftovers()).containsExactly(SEGMENT);
		assertThat(this.ledger.image(row(1, B)).leftovers()).isEmpty();
		assertThat(this.ledger.withLeftovers(ROUTE, 0, 10)).extracting(ImageRecord::sourceImageId).containsExactly(A);
	}

	@Test
	void anImageStartedOverDropsItsLeftovers() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(A), false);
		migrated(row(1, A), List.of(MANIFEST));

		// when: --force
		this.ledger.recordRun(2, ROUTE, manifest(A), true);

		// then
		assertThat(this.ledger.image(row(2, A)).state()).isEqualTo(ImageState.PENDING);
		assertThat(this.ledger.image(row(2, A)).leftovers()).isEmpty();
		assertThat(this.ledger.anyLeftovers(ROUTE)).isFalse();
	}

	@Test
	void aLedgerWrittenBeforeLeftoversGainsTheColumnAndItsRowsHaveNone() {
		// given: a data directory whose FERRY_IMAGE lacks the column, with a migrated
		// image, made before Flyway (no migration history)
		this.ledger.recordRun(1, ROUTE, manifest(A), false);
		migrated(row(1, A), List.of());
		new JdbcTemplate(this.dataSources.get(0)).execute("ALTER TABLE FERRY_IMAGE DROP COLUMN CLEANUP_LEFTOVERS");
		new JdbcTemplate(this.dataSources.get(0)).execute("DROP TABLE \"flyway_schema_history\"");
		close();
		this.dataSources.clear();

		// when
		reopen();

		// then
		assertThat(this.ledger.image(row(1, A)).state()).isEqualTo(ImageState.MIGRATED);
		assertThat(this.ledger.image(row(1, A)).leftovers()).isEmpty();
		migrated(row(1, A), List.of(MANIFEST));
		assertThat(this.ledger.image(row(1, A)).leftovers()).containsExactly(MANIFEST);
	}

	private void migrated(long row, List<Leftover> leftovers) {
		this.ledger.update(Transition.migrated(row, List.of(), NOW).withLeftovers(leftovers));
	}

	private void reopen() {
		HikariDataSource hikari = this.db.pool();
		this.dataSources.add(hikari);
		this.ledger = new Ledger(hikari, new DataSourceTransactionManager(hikari), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private long row(long run, String imageId) {
		return this.ledger.runItems(run)
			.stream()
			.filter((item) -> imageId.equals(item.sourceImageId()))
			.findFirst()
			.orElseThrow()
			.image()
			.id();
	}

	private static Manifest manifest(String... imageIds) {
		List<ManifestEntry> entries = new ArrayList<>();
		for (int i = 0; i < imageIds.length; i++) {
			entries.add(new ManifestEntry(i + 2, imageIds[i], null));
		}
		return new Manifest("sha", entries, List.of(), List.of());
	}

}

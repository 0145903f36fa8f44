package org.imageferry.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
import org.springframework.transaction.support.TransactionTemplate;

import org.imageferry.ledger.RunItem.Disposition;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.manifest.ManifestProblem;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerTests {

	@Parameter
	LedgerDatabase database;

	private static final Instant NOW = Instant.parse("2025-03-01T02:00:00Z");

	private static final String ROUTE = "DFW:alice->IAD:alice";

	private static final String OTHER_ROUTE = "DFW:alice->ORD:bob";

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	private static final String B = "7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70";

	private static final String C = "e8e5a942-f3ce-4531-8141-9a53b87c0a42";

	@TempDir
	Path dir;

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	private JdbcDatabase db;

	private HikariDataSource dataSource;

	private DataSourceTransactionManager transactionManager;

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
	void recordRunInsertsPendingRowsAndRunItemsInManifestOrder() {
		// given
		Manifest manifest = manifest(List.of(entry(2, B, "db"), entry(3, A, null), entry(5, C, "web")),
				List.of(new ManifestProblem(4, "nope", "image_id 'nope' is not a UUID")));

		// when
		this.ledger.recordRun(1, ROUTE, manifest, false);

		// then
		assertThat(this.ledger.runItems(1))
			.extracting(RunItem::line, RunItem::sourceImageId, RunItem::disposition, RunItem::problem)
			.containsExactly(tuple(2, B, Disposition.MIGRATE, null), tuple(3, A, Disposition.MIGRATE, null),
					tuple(4, "nope", Disposition.INVALID, "image_id 'nope' is not a UUID"),
					tuple(5, C, Disposition.MIGRATE, null));
		assertThat(this.ledger.runItems(1).get(2).image()).isNull();
		assertThat(this.ledger.images(1, ImageState.PENDING))
			.extracting(ImageRecord::sourceImageId, ImageRecord::targetName, ImageRecord::route, ImageRecord::state)
			.containsExactly(tuple(B, "db", ROUTE, ImageState.PENDING), tuple(A, null, ROUTE, ImageState.PENDING),
					tuple(C, "web", ROUTE, ImageState.PENDING));
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE")).isEqualTo(3);
		assertThat(this.jdbc()
			.queryForObject("SELECT UPDATED_AT FROM FERRY_IMAGE WHERE SOURCE_IMAGE_ID = ?", OffsetDateTime.class, A))
			.isEqualTo(NOW.atOffset(ZoneOffset.UTC));
	}

	@Test
	void imagesFiltersByStateAndRun() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null), entry(3, B, null), entry(4, C, null)), false);
		this.ledger.recordRun(2, OTHER_ROUTE, manifest(entry(2, A, null)), false);
		this.ledger.update(Transition.taskCreated(rowOf(1, B), TaskKind.EXPORT, "task-b"));

		// when
		List<ImageRecord> pending = this.ledger.images(1, ImageState.PENDING);
		List<ImageRecord> exporting = this.ledger.images(1, ImageState.EXPORTING);
		List<ImageRecord> firstPending = this.ledger.images(1, 1, ImageState.PENDING);

		// then
		assertThat(pending).extracting(ImageRecord::sourceImageId).containsExactly(A, C);
		assertThat(exporting).extracting(ImageRecord::sourceImageId, ImageRecord::exportTaskId)
			.containsExactly(tuple(B, "task-b"));
		assertThat(firstPending).extracting(ImageRecord::sourceImageId).containsExactly(A);
		assertThat(this.ledger.images(1, ImageState.MIGRATED)).isEmpty();
		assertThat(this.ledger.any(1, ImageState.READY, ImageState.EXPORTING)).isTrue();
		assertThat(this.ledger.any(1, ImageState.READY, ImageState.IMPORTING)).isFalse();
		assertThat(this.ledger.any(2, ImageState.EXPORTING)).isFalse();
	}

	@Test
	void anyFollowsEveryChangeOfState() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null), entry(3, B, null)), false);
		ImageState[] open = { ImageState.EXPORTING, ImageState.IMPORTING };
		assertThat(this.ledger.any(1, open)).isFalse();

		// when / then: the same question, asked again after each change, answers the
		// change
		this.ledger.update(Transition.taskRequested(rowOf(1, B), TaskKind.EXPORT, NOW));
		assertThat(this.ledger.any(1, open)).isTrue();
		this.ledger.update(Transition.taskRequested(rowOf(1, B), TaskKind.IMPORT, NOW));
		assertThat(this.ledger.any(1, open)).isTrue();
		this.ledger.update(Transition.migrated(rowOf(1, B), List.of(), NOW));
		assertThat(this.ledger.any(1, open)).isFalse();
	}

	@Test
	void aSecondRunSkipsMigratedImagesAndRetriesFailedOnes() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, "a"), entry(3, B, "b"), entry(4, C, "c")), false);
		long a = rowOf(1, A);
		long b = rowOf(1, B);
		this.ledger.updateAll(List.of(Transition.transferProgress(a, 1, 1, 42L), Transition.imported(a, "new-a", NOW),
				Transition.migrated(a, List.of(), NOW)));
		this.ledger.updateAll(
				List.of(Transition.taskCreated(b, TaskKind.EXPORT, "task-b"), Transition.transferProgress(b, 3, 0, 0)));
		this.ledger.update(Transition.failed(b, "EXPORT_FAILED", "the export failed", this.ledger.instant()));

		// when
		this.ledger.recordRun(2, ROUTE, manifest(entry(2, A, "a"), entry(3, B, "b2"), entry(4, C, "c")), false);

		// then
		assertThat(this.ledger.runItems(2)).extracting(RunItem::line, RunItem::disposition)
			.containsExactly(tuple(2, Disposition.ALREADY_MIGRATED), tuple(3, Disposition.MIGRATE),
					tuple(4, Disposition.MIGRATE));
		assertThat(this.ledger.image(a).state()).isEqualTo(ImageState.MIGRATED);
		assertThat(this.ledger.image(a).targetImageId()).isEqualTo("new-a");
		ImageRecord retried = this.ledger.image(b);
		assertThat(retried.state()).isEqualTo(ImageState.PENDING);
		assertThat(retried.targetName()).isEqualTo("b2");
		assertThat(retried.failureCode()).isNull();
		assertThat(retried.failureMessage()).isNull();
		assertThat(retried.exportTaskId()).isNull();
		assertThat(retried.segments()).isNull();
		assertThat(retried.finishedAt()).isNull();
		assertThat(this.ledger.images(2, ImageState.PENDING)).extracting(ImageRecord::sourceImageId)
			.containsExactly(B, C);
		assertThat(this.ledger.images(2, ImageState.MIGRATED)).isEmpty();
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE")).isEqualTo(3);
	}

	@Test
	void aSecondRunContinuesAnImageAnEarlierRunLeftHalfWay() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);
		this.ledger.update(Transition.taskCreated(a, TaskKind.EXPORT, "task-a"));

		// when
		this.ledger.recordRun(2, ROUTE, manifest(entry(2, A, null)), false);

		// then
		assertThat(this.ledger.images(2, ImageState.EXPORTING)).extracting(ImageRecord::id, ImageRecord::exportTaskId)
			.containsExactly(tuple(a, "task-a"));
	}

	@Test
	void forceResetsMigratedImages() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);
		this.ledger.update(Transition.imported(a, "new-a", NOW));
		this.ledger.update(Transition.migrated(a, List.of("notes", "os_type"), NOW));
		assertThat(this.ledger.image(a).propertiesNotCopied()).containsExactly("notes", "os_type");

		// when
		this.ledger.recordRun(2, ROUTE, manifest(entry(2, A, null)), true);

		// then
		assertThat(this.ledger.runItems(2)).extracting(RunItem::disposition).containsExactly(Disposition.MIGRATE);
		ImageRecord image = this.ledger.image(a);
		assertThat(image.id()).isEqualTo(a);
		assertThat(image.state()).isEqualTo(ImageState.PENDING);
		assertThat(image.targetImageId()).isNull();
		assertThat(image.finishedAt()).isNull();
		assertThat(image.propertiesNotCopied()).isEmpty();
	}

	@Test
	void forceAlsoStartsOverAnImageLeftHalfWay() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);
		this.ledger.update(Transition.transferProgress(a, 4, 2, 0));

		// when
		this.ledger.recordRun(2, ROUTE, manifest(entry(2, A, null)), true);

		// then
		assertThat(this.ledger.image(a))
			.extracting(ImageRecord::state, ImageRecord::segments, ImageRecord::segmentsDone)
			.containsExactly(ImageState.PENDING, null, null);
	}

	@Test
	void recordRunTwiceForTheSameInstanceIsIdempotent() {
		// given
		Manifest manifest = manifest(List.of(entry(2, A, "a"), entry(4, B, null)),
				List.of(new ManifestProblem(3, "x", "image_id 'x' is not a UUID")));
		this.ledger.recordRun(7, ROUTE, manifest, false);
		List<RunItem> first = this.ledger.runItems(7);

		// when
		this.ledger.recordRun(7, ROUTE, manifest, false);

		// then
		assertThat(this.ledger.runItems(7)).isEqualTo(first);
		assertThat(count("SELECT COUNT(*) FROM FERRY_RUN_ITEM")).isEqualTo(3);
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE")).isEqualTo(2);
	}

	@Test
	void updateSetsColumnsAndState() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);
		Instant started = Instant.parse("2025-03-01T02:05:00Z");

		// when
		this.ledger.updateAll(List.of(Transition.ready(a, "web", 10_737_418_240L),
				Transition.taskRequested(a, TaskKind.EXPORT, started),
				Transition.taskCreated(a, TaskKind.EXPORT, "task-1")));

		// then
		ImageRecord image = this.ledger.image(a);
		assertThat(image.state()).isEqualTo(ImageState.EXPORTING);
		assertThat(image.exportTaskId()).isEqualTo("task-1");
		assertThat(image.exportStartedAt()).isEqualTo(started);
		assertThat(image.sourceSize()).isEqualTo(10_737_418_240L);
		assertThat(image.importName()).isEqualTo("web");
	}

	@Test
	void failRecordsCodeTruncatedMessageAndFinishTime() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);

		// when
		this.ledger.update(Transition.failed(a, "TOO_BIG", "m".repeat(3000), this.ledger.instant()));

		// then
		ImageRecord image = this.ledger.image(a);
		assertThat(image.state()).isEqualTo(ImageState.FAILED);
		assertThat(image.failureCode()).isEqualTo("TOO_BIG");
		assertThat(image.failureMessage()).hasSize(2000);
		assertThat(image.finishedAt()).isEqualTo(NOW);
	}

	@Test
	void updateAndFailCommitEvenWhenTheCallersTransactionRollsBack() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null), entry(3, B, null), entry(4, C, null)), false);
		long a = rowOf(1, A);
		long b = rowOf(1, B);
		long c = rowOf(1, C);
		TransactionTemplate outer = new TransactionTemplate(this.transactionManager);

		// when
		outer.executeWithoutResult((status) -> {
			// a write of the caller's own, on another row, that must be rolled back
			this.jdbc().update("UPDATE FERRY_IMAGE SET SOURCE_NAME = 'rolled back' WHERE ID = ?", c);
			this.ledger.update(Transition.taskCreated(a, TaskKind.EXPORT, "task-a"));
			this.ledger.update(Transition.failed(b, "NOT_FOUND", "no such image", this.ledger.instant()));
			status.setRollbackOnly();
		});

		// then
		assertThat(this.ledger.image(c).sourceName()).isNull();
		assertThat(this.ledger.image(a).state()).isEqualTo(ImageState.EXPORTING);
		assertThat(this.ledger.image(a).exportTaskId()).isEqualTo("task-a");
		assertThat(this.ledger.image(b).state()).isEqualTo(ImageState.FAILED);
		assertThat(this.ledger.image(b).failureCode()).isEqualTo("NOT_FOUND");
	}

	@Test
	void updateIsVisibleToOtherConnectionsBeforeTheCallersTransactionEnds() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, null)), false);
		long a = rowOf(1, A);
		TransactionTemplate outer = new TransactionTemplate(this.transactionManager);
		List<String> seenMeanwhile = new ArrayList<>();

		// when
		outer.executeWithoutResult((status) -> {
			this.ledger.update(Transition.ready(a, "a", 1));
			seenMeanwhile.add(stateSeenByAnotherConnection(a));
		});

		// then
		assertThat(seenMeanwhile).containsExactly("READY");
	}

	@Test
	void pagePagesById() {
		// given
		List<ManifestEntry> entries = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			entries.add(entry(i + 2, new UUID(0xabcL, i).toString(), null));
		}
		this.ledger.recordRun(1, ROUTE, manifest(entries, List.of()), false);
		this.ledger.update(Transition.ready(rowOf(1, new UUID(0xabcL, 3).toString()), "three", 1));

		// when
		List<ImageRecord> first = this.ledger.page(1, ImageState.PENDING, 0, 4);
		List<ImageRecord> second = this.ledger.page(1, ImageState.PENDING, first.get(first.size() - 1).id(), 4);
		List<ImageRecord> third = this.ledger.page(1, ImageState.PENDING, second.get(second.size() - 1).id(), 4);

		// then
		assertThat(first).extracting(ImageRecord::sourceImageId)
			.containsExactly(new UUID(0xabcL, 0).toString(), new UUID(0xabcL, 1).toString(),
					new UUID(0xabcL, 2).toString(), new UUID(0xabcL, 4).toString());
		assertThat(second).extracting(ImageRecord::sourceImageId)
			.containsExactly(new UUID(0xabcL, 5).toString(), new UUID(0xabcL, 6).toString());
		assertThat(third).isEmpty();
		assertThat(first).extracting(ImageRecord::id).isSorted();
		assertThat(this.ledger.page(1, ImageState.READY, 0, 10)).extracting(ImageRecord::sourceImageId)
			.containsExactly(new UUID(0xabcL, 3).toString());
		assertThat(this.ledger.page(2, ImageState.PENDING, 0, 10)).isEmpty();
	}

	@Test
	void differentRoutesKeepSeparateRowsForTheSameImage() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, "one")), false);
		this.ledger.update(Transition.migrated(rowOf(1, A), List.of(), NOW));

		// when
		this.ledger.recordRun(2, OTHER_ROUTE, manifest(entry(2, A, "two")), false);

		// then
		assertThat(this.ledger.runItems(2)).extracting(RunItem::disposition).containsExactly(Disposition.MIGRATE);
		assertThat(rowOf(2, A)).isNotEqualTo(rowOf(1, A));
		assertThat(this.ledger.image(rowOf(2, A)))
			.extracting(ImageRecord::route, ImageRecord::state, ImageRecord::targetName)
			.containsExactly(OTHER_ROUTE, ImageState.PENDING, "two");
		assertThat(this.ledger.image(rowOf(1, A))).extracting(ImageRecord::route, ImageRecord::state)
			.containsExactly(ROUTE, ImageState.MIGRATED);
	}

	@Test
	void theLedgerSurvivesClosingAndReopeningTheDatabase() {
		// given
		this.ledger.recordRun(1, ROUTE, manifest(entry(2, A, "a"), entry(3, B, null)), false);
		long a = rowOf(1, A);
		this.ledger.updateAll(List.of(Transition.imported(a, "new-a", NOW), Transition.migrated(a, List.of(), NOW)));
		List<RunItem> before = this.ledger.runItems(1);

		// when
		this.dataSource.close();
		reopen();

		// then
		assertThat(this.ledger.runItems(1)).isEqualTo(before);
		assertThat(this.ledger.image(a).state()).isEqualTo(ImageState.MIGRATED);
		assertThat(this.ledger.image(a).finishedAt()).isEqualTo(NOW);
		this.ledger.recordRun(2, ROUTE, manifest(entry(2, A, "a"), entry(3, B, null)), false);
		assertThat(this.ledger.runItems(2)).extracting(RunItem::disposition)
			.containsExactly(Disposition.ALREADY_MIGRATED, Disposition.MIGRATE);
	}

	private void reopen() {
		HikariDataSource hikari = this.db.pool();
		this.dataSources.add(hikari);
		this.dataSource = hikari;
		this.transactionManager = new DataSourceTransactionManager(hikari);
		this.ledger = new Ledger(hikari, this.transactionManager, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private String stateSeenByAnotherConnection(long rowId) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT STATE FROM FERRY_IMAGE WHERE ID = ?")) {
			statement.setLong(1, rowId);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getString(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private long rowOf(long run, String imageId) {
		return this.ledger.runItems(run)
			.stream()
			.filter((item) -> imageId.equals(item.sourceImageId()))
			.findFirst()
			.orElseThrow()
			.image()
			.id();
	}

	private int count(String sql) {
		return jdbc().queryForObject(sql, Integer.class);
	}

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	private static ManifestEntry entry(int line, String imageId, String targetName) {
		return new ManifestEntry(line, imageId, targetName);
	}

	private static Manifest manifest(ManifestEntry... entries) {
		return manifest(List.of(entries), List.of());
	}

	private static Manifest manifest(List<ManifestEntry> entries, List<ManifestProblem> problems) {
		return new Manifest("sha", entries, problems, List.of());
	}

}

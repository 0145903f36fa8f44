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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.ledger.RunItem.Disposition;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.manifest.ManifestProblem;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The ledger of a run with several targets: a run item and a row per line and target, the
 * export's states shared by an image's rows, and which finishing is the last of its
 * image.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerTargetsTests {

	@Parameter
	LedgerDatabase database;

	private static final Instant NOW = Instant.parse("2025-03-01T02:00:00Z");

	private static final RunTarget IAD = new RunTarget("iad", "DFW:alice>IAD:alice");

	private static final RunTarget ORD = new RunTarget("ord", "DFW:alice>ORD:bob");

	private static final List<RunTarget> BOTH = List.of(IAD, ORD);

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	private static final String B = "7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70";

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	private Ledger ledger;

	@BeforeEach
	void open() {
		this.dataSource = this.database.create(this.dir).pool();
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void aRunRecordsAnItemAndARowPerLineAndTargetAndAnInvalidLineOnce() {
		// given
		Manifest manifest = new Manifest("sha", List.of(new ManifestEntry(2, A, null), new ManifestEntry(3, B, null)),
				List.of(new ManifestProblem(4, "nope", "image_id 'nope' is not a UUID")), List.of());

		// when
		this.ledger.recordRun(1, BOTH, manifest, false);

		// then
		assertThat(this.ledger.runItems(1))
			.extracting(RunItem::line, RunItem::target, RunItem::sourceImageId, RunItem::disposition,
					(item) -> (item.image() != null) ? item.image().route() : null)
			.containsExactly(tuple(2, "iad", A, Disposition.MIGRATE, IAD.route()),
					tuple(2, "ord", A, Disposition.MIGRATE, ORD.route()),
					tuple(3, "iad", B, Disposition.MIGRATE, IAD.route()),
					tuple(3, "ord", B, Disposition.MIGRATE, ORD.route()),
					tuple(4, "", "nope", Disposition.INVALID, null));
	}

	@Test
	void inTheExportsStatesAQuestionAnswersOneRowPerImageAndARouteNarrowsIt() {
		// given
		ready(A, B);

		// then
		assertThat(this.ledger.images(1, ImageState.READY)).extracting(ImageRecord::sourceImageId, ImageRecord::route)
			.containsExactly(tuple(A, IAD.route()), tuple(B, IAD.route()));
		assertThat(this.ledger.count(1, ImageState.READY)).isEqualTo(2);
		assertThat(this.ledger.images(1, List.of(ORD.route()), 10, ImageState.READY)).extracting(ImageRecord::route)
			.containsOnly(ORD.route());
		assertThat(this.ledger.count(1, List.of(ORD.route()), ImageState.PENDING)).isZero();
	}

	@Test
	void aMoveOfAnImagesRowInTheExportsStatesIsTheMoveOfItsRowsBesideIt() {
		// given: a ready on both targets, b's ORD row migrated earlier
		ready(A, B);
		ImageRecord b = this.ledger.find(ORD.route(), B).orElseThrow();
		this.ledger.update(Transition.alreadyMigrated(b.id(), "copy-of-b", NOW));
		long a = this.ledger.find(IAD.route(), A).orElseThrow().id();
		long bIad = this.ledger.find(IAD.route(), B).orElseThrow().id();

		// when
		this.ledger.updateAll(List.of(Transition.taskRequested(a, TaskKind.EXPORT, NOW),
				Transition.taskCreated(a, TaskKind.EXPORT, "task-a"),
				Transition.taskRequested(bIad, TaskKind.EXPORT, NOW),
				Transition.exported(bIad, "image-ferry/" + B + ".vhd", NOW)));

		// then: a's ORD row shares its export task; b's migrated row is left alone
		assertThat(this.ledger.find(ORD.route(), A).orElseThrow())
			.extracting(ImageRecord::state, ImageRecord::exportTaskId)
			.containsExactly(ImageState.EXPORTING, "task-a");
		assertThat(this.ledger.find(ORD.route(), B).orElseThrow().state()).isEqualTo(ImageState.MIGRATED);
		assertThat(this.ledger.find(IAD.route(), B).orElseThrow().exportLocation())
			.isEqualTo("image-ferry/" + B + ".vhd");

		// and when: an export ended, each row goes its own way
		this.ledger.update(Transition.exported(a, "image-ferry/" + A + ".vhd", NOW));
		this.ledger.update(Transition.transferStarted(a, NOW));

		// then
		assertThat(this.ledger.find(IAD.route(), A).orElseThrow().state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(this.ledger.find(ORD.route(), A).orElseThrow().state()).isEqualTo(ImageState.EXPORTED);
	}

	@Test
	void theViewOfARunWithOneTargetMovesARowAloneAndCommitsWithTheCycle() {
		// given: a run of one target, its pipeline's view of the ledger
		this.ledger.recordRun(1, List.of(IAD),
				new Manifest("sha", List.of(new ManifestEntry(2, A, null)), List.of(), List.of()), false);
		long a = this.ledger.images(1, ImageState.PENDING).get(0).id();
		Ledger oneTarget = this.ledger.ofOneTarget();

		// when: a cycle of the full ledger moves the row through the view, and fails
		assertThatThrownBy(() -> this.ledger.gathered(() -> {
			oneTarget.updateAll(
					List.of(Transition.ready(a, "image", 1024), Transition.taskRequested(a, TaskKind.EXPORT, NOW),
							Transition.taskCreated(a, TaskKind.EXPORT, "t")));
			throw new IllegalStateException("the cycle ends");
		})).hasMessage("the cycle ends");

		// then: the view's writes were the cycle's, committed at its end; the row is its
		// image's last to finish
		assertThat(this.ledger.image(a)).extracting(ImageRecord::state, ImageRecord::exportTaskId)
			.containsExactly(ImageState.EXPORTING, "t");
		assertThat(oneTarget.lastOfTheirImage(1, List.of(this.ledger.image(a)))).containsExactly(a);
	}

	@Test
	void theLastOfAnImagesTargetsToFinishReleasesItsExport() {
		// given: a imported on IAD, on its way on ORD; b imported on both
		ready(A, B);
		ImageRecord aIad = imported(IAD, A);
		ImageRecord bIad = imported(IAD, B);
		ImageRecord bOrd = imported(ORD, B);

		// when
		var alone = this.ledger.lastOfTheirImage(1, List.of(aIad));
		var together = this.ledger.lastOfTheirImage(1, List.of(bIad, bOrd));

		// then: a's ORD still needs the export; of b's two, the last in the batch
		assertThat(alone).isEmpty();
		assertThat(together).containsExactly(bOrd.id());

		// and when: a migrated on ORD
		this.ledger.update(Transition.migrated(this.ledger.find(ORD.route(), A).orElseThrow().id(), List.of(), NOW));

		// then
		assertThat(this.ledger.lastOfTheirImage(1, List.of(aIad))).containsExactly(aIad.id());
	}

	@Test
	void theTasksLeftCountAnImagesExportOnceAndAnImportPerTarget() {
		// given: a ready on both targets; b exported (for both) and its IAD copy
		// transferred
		ready(A, B);
		long bIad = this.ledger.find(IAD.route(), B).orElseThrow().id();
		this.ledger.update(Transition.exported(bIad, "image-ferry/" + B + ".vhd", NOW));
		this.ledger.update(Transition.transferred(bIad, 1, 1024, NOW));

		// when
		Progress progress = this.ledger.progress(1);

		// then: a's one export and two imports; b's two imports
		assertThat(progress.tasksLeft()).isEqualTo(3 + 2);
		assertThat(progress.total()).isEqualTo(4);
	}

	private void ready(String... images) {
		List<ManifestEntry> entries = new java.util.ArrayList<>();
		for (int i = 0; i < images.length; i++) {
			entries.add(new ManifestEntry(i + 2, images[i], null));
		}
		this.ledger.recordRun(1, BOTH, new Manifest("sha", entries, List.of(), List.of()), false);
		this.ledger.images(1, ImageState.PENDING)
			.forEach((row) -> this.ledger.update(Transition.ready(row.id(), "image", 1024)));
	}

	private ImageRecord imported(RunTarget target, String image) {
		long id = this.ledger.find(target.route(), image).orElseThrow().id();
		this.ledger.update(Transition.imported(id, "new-" + image, NOW));
		return this.ledger.image(id);
	}

}

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

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's progress as the ledger tells it, including the work still to do that the
 * progress line's ETA is computed from: bytes still to copy, cloud tasks still to run.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerProgressTests {

	@Parameter
	LedgerDatabase database;

	private static final String ROUTE = "DFW:alice->IAD:alice";

	private static final List<String> IMAGES = List.of("0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c",
			"7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70", "e8e5a942-f3ce-4531-8141-9a53b87c0a42",
			"3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	private Ledger ledger;

	@BeforeEach
	void open() {
		this.dataSource = this.database.create(this.dir).pool();
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource),
				Clock.fixed(Instant.parse("2025-03-01T02:00:00Z"), ZoneOffset.UTC));
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void theWorkLeftIsTheBytesNotYetCopiedAndAnExportAndImportPerImageNotPastThem() {
		// given: one image per stage of the way
		List<ManifestEntry> entries = IMAGES.stream()
			.map((id) -> new ManifestEntry(IMAGES.indexOf(id) + 2, id, null))
			.toList();
		this.ledger.recordRun(1, ROUTE, new Manifest("sha", entries, List.of(), List.of()), false);
		long[] rows = this.ledger.runItems(1).stream().mapToLong((item) -> item.image().id()).toArray();
		Instant now = this.ledger.instant();
		this.ledger.update(Transition.ready(rows[0], "zero", 100));
		this.ledger
			.updateAll(List.of(Transition.ready(rows[1], "one", 200), Transition.transferProgress(rows[1], 4, 1, 50)));
		this.ledger.updateAll(List.of(Transition.ready(rows[2], "two", 300),
				Transition.transferred(rows[2], 1, 300, now), Transition.taskRequested(rows[2], TaskKind.IMPORT, now)));
		this.ledger.updateAll(List.of(Transition.ready(rows[3], "three", 400),
				Transition.transferred(rows[3], 1, 400, now), Transition.migrated(rows[3], List.of(), now)));
		this.ledger
			.updateAll(List.of(Transition.ready(rows[4], "four", 500), Transition.transferProgress(rows[4], 2, 0, 20),
					Transition.failed(rows[4], "TRANSFER_FAILED", "failed", now)));

		// when
		Progress progress = this.ledger.progress(1);

		// then: 100 + 150 bytes to copy; exports and imports of the first, imports of
		// the second and third
		assertThat(progress.bytesLeft()).isEqualTo(250);
		assertThat(progress.tasksLeft()).isEqualTo(4);
		assertThat(progress.done()).isEqualTo(2);
		assertThat(progress.total()).isEqualTo(5);
	}

}

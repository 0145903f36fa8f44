package org.imageferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.ledger.Ledger;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.LedgerSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manager's progress line when workers copy: this process streams nothing, so the
 * bytes moved and their rate are the ledger's, which the workers write as they copy.
 */
class ProgressReporterTests {

	private static final long RUN = 1;

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	private Ledger ledger;

	@BeforeEach
	void open() {
		this.dataSource = LedgerSchema.fileDatabase(this.dir);
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource), Clock.systemUTC());
		this.ledger.recordRun(
				RUN, "DFW:alice->IAD:alice", new Manifest("sha",
						List.of(new ManifestEntry(2, UUID.randomUUID().toString(), null)), List.of(), List.of()),
				false);
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void whenWorkersCopyTheRateIsOfTheBytesTheLedgerCounts() throws Exception {
		// given: a manager whose progress line counts the ledger's bytes
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ProgressReporter progress = new ProgressReporter(this.ledger, () -> RUN, null, () -> 0,
				new PrintStream(out, true, StandardCharsets.UTF_8), false, false, Duration.ofSeconds(1),
				Clock.systemUTC())) {
			awaitLine(out, "0 B moved");

			// when: the workers record 100 MiB copied
			new JdbcTemplate(this.dataSource).update("UPDATE FERRY_IMAGE SET BYTES_MOVED = ?", 100 * MIB);

			// then
			String line = awaitLine(out, "100.0 MiB moved");
			assertThat(line).containsPattern("100\\.0 MiB moved, [0-9.]+ MiB/s,");
		}
	}

	private static String awaitLine(ByteArrayOutputStream out, String text) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter((l) -> l.contains(text)).toList();
			if (!lines.isEmpty()) {
				return lines.get(lines.size() - 1);
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no progress line with " + text + " in:\n" + out.toString(StandardCharsets.UTF_8));
	}

}

package org.imageferry.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a process killed at once leaves in the H2 file: the writes the ledger made durably
 * (the intents before their task POSTs), although H2 writes other commits to the file
 * only by its write delay. The process is a child JVM that halts right after the write,
 * as SIGKILL would end it.
 */
class LedgerDurabilityTests {

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	@TempDir
	Path dir;

	@Test
	void aDurableWriteOutlivesAProcessKilledRightAfterIt() throws Exception {
		// given: the run recorded, the database closed (everything on disk)
		JdbcDatabase db = LedgerDatabase.H2.create(this.dir);
		try (HikariDataSource pool = db.pool()) {
			Ledger ledger = ledger(pool);
			ledger.recordRun(1, "DFW:alice>IAD:alice",
					new Manifest("sha", List.of(new ManifestEntry(2, A, null)), List.of(), List.of()), false);
		}

		// when: a process writes the image's move durably in a cycle, and dies at once
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), Killed.class.getName(), this.dir.toString())
			.inheritIO()
			.start();
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ends").isTrue();
		assertThat(child.exitValue()).as("the child halted after its write").isEqualTo(Killed.HALTED);

		// then
		try (HikariDataSource pool = db.pool()) {
			ImageRecord row = ledger(pool).images(1, ImageState.READY).stream().findFirst().orElse(null);
			assertThat(row).as("the durable move, on disk").isNotNull();
			assertThat(row.sourceName()).isEqualTo("web");
		}
	}

	private static Ledger ledger(HikariDataSource pool) {
		return new Ledger(pool, new DataSourceTransactionManager(pool), Clock.systemUTC());
	}

	/** The child: one durable write in a pipeline cycle, then the process halts. */
	static final class Killed {

		static final int HALTED = 57;

		public static void main(String[] args) throws Exception {
			HikariDataSource pool = LedgerDatabase.H2.create(Path.of(args[0])).pool();
			Ledger ledger = ledger(pool);
			long row = ledger.images(1, ImageState.PENDING).get(0).id();
			ledger.gathered(() -> {
				ledger.updateDurably(List.of(Transition.ready(row, "web", 10)));
				// no later write of the cycle is waited for
				Runtime.getRuntime().halt(HALTED);
				return Duration.ZERO;
			});
		}

	}

}

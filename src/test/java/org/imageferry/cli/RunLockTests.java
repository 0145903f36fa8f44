package org.imageferry.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.LedgerSchema;
import org.imageferry.testsupport.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run lock the job repository calls for, held by two processes' pools on one job
 * repository: a file lock beside an H2 file, a lock in the database for PostgreSQL (a
 * throwaway cluster, {@link PostgresServer}) which hosts with data directories of their
 * own share.
 */
class RunLockTests {

	@TempDir
	Path dir;

	@Nested
	class OnH2 {

		@Test
		void aFileInTheDataDirectoryIsTheLock() throws Exception {
			// given
			Path data = RunLockTests.this.dir.resolve("data");
			try (HikariDataSource h2 = LedgerSchema.fileDatabase(RunLockTests.this.dir)) {
				RunLock lock = RunLock.of(data, h2);

				// when
				try (RunLock.Held held = lock.tryAcquire()) {
					RunLock.Held second = new DirectoryLock(data).tryAcquire();

					// then
					assertThat(lock).isInstanceOf(DirectoryLock.class);
					assertThat(held).isNotNull();
					assertThat(second).isNull();
					assertThat(lock.holder()).contains("a process");
					assertThat(lock.refusal())
						.isEqualTo("another image-ferry run holds the lock of " + data.toAbsolutePath());
					assertThat(lock.repository()).isEqualTo("this data directory");
				}
				assertThat(lock.holder()).isEmpty();
			}
		}

	}

	@Nested
	class OnPostgresql {

		final JdbcDatabase database = PostgresServer.shared().createDatabase();

		@Test
		void oneHostsRunHoldsTheDatabaseUntilItReleasesIt() throws Exception {
			// given: two hosts' pools, two data directories
			try (HikariDataSource first = this.database.pool(); HikariDataSource second = this.database.pool()) {
				RunLock one = RunLock.of(RunLockTests.this.dir.resolve("a"), first);
				RunLock other = RunLock.of(RunLockTests.this.dir.resolve("b"), second);
				String address = this.database.url().substring("jdbc:".length());

				// when
				RunLock.Held held = one.tryAcquire();
				RunLock.Held refused = other.tryAcquire();
				String refusal = other.refusal();
				String holder = other.holder().orElse("nobody");
				held.close();

				// then
				assertThat(one).isInstanceOf(DatabaseLock.class);
				assertThat(held).isNotNull();
				assertThat(refused).isNull();
				assertThat(refusal)
					.startsWith("another image-ferry run holds the lock of " + address + " (image-ferry on ")
					.contains(", pid " + ProcessHandle.current().pid() + ", connected from 127.0.0.1)");
				assertThat(holder).startsWith("image-ferry on ");
				assertThat(other.holder()).as("after the release").isEmpty();
				assertThat(other.repository()).isEqualTo("the database at " + address);
				try (RunLock.Held now = other.tryAcquire()) {
					assertThat(now).as("the second host's turn").isNotNull();
				}
			}
		}

		@Test
		void twoSchemasOfOneDatabaseAreTwoJobRepositories() throws Exception {
			// given
			try (Connection owner = this.database.connect(); Statement sql = owner.createStatement()) {
				sql.execute("CREATE SCHEMA other");
			}
			JdbcDatabase inOther = new JdbcDatabase(this.database.url() + "?currentSchema=other",
					this.database.username(), this.database.password());
			try (HikariDataSource first = this.database.pool(); HikariDataSource second = inOther.pool()) {
				RunLock one = RunLock.of(RunLockTests.this.dir.resolve("a"), first);
				RunLock other = RunLock.of(RunLockTests.this.dir.resolve("b"), second);

				// when
				try (RunLock.Held held = one.tryAcquire(); RunLock.Held beside = other.tryAcquire()) {

					// then
					assertThat(held).isNotNull();
					assertThat(beside).isNotNull();
				}
			}
		}

	}

}

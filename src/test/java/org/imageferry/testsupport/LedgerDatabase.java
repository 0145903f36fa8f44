package org.imageferry.testsupport;

import java.nio.file.Path;

/**
 * The databases the ledger runs on, for tests that run the same scenarios on each
 * ({@code @ParameterizedClass @EnumSource(LedgerDatabase.class)}): the embedded H2 file
 * and PostgreSQL — a new database of the JVM's throwaway cluster
 * ({@link PostgresServer#shared()}) for each test, skipped without PostgreSQL's binaries
 * (failing under {@code CI=true}).
 */
public enum LedgerDatabase {

	H2 {
		@Override
		public JdbcDatabase create(Path dir) {
			return new JdbcDatabase("jdbc:h2:file:" + dir.toAbsolutePath().resolve("ledger"), "sa", "");
		}
	},

	POSTGRESQL {
		@Override
		public JdbcDatabase create(Path dir) {
			return PostgresServer.shared().createDatabase();
		}
	};

	/**
	 * A new, empty database for one test ({@code dir}: the test's own directory), not yet
	 * migrated: {@link JdbcDatabase#pool()} migrates it.
	 */
	public abstract JdbcDatabase create(Path dir);

}

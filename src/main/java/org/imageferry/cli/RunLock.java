package org.imageferry.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * One run at a time per job repository: what lets a run take an execution it finds
 * {@code STARTED} for one whose process is gone and recover it ({@link RunLauncher}). The
 * lock must therefore reach every process that can use the job repository, and it is
 * released however the process ends. Which lock that is follows where the job repository
 * is, and {@link #of} is the one place that decides: an H2 file in the data directory
 * gets a file lock beside it ({@link DirectoryLock}); a database other hosts reach gets a
 * lock in that database ({@link DatabaseLock}).
 */
sealed interface RunLock permits DirectoryLock, DatabaseLock {

	/** The lock of the job repository behind {@code dataSource}. */
	static RunLock of(Path dataDir, DataSource dataSource) {
		String url;
		try {
			url = JdbcUtils.extractDatabaseMetaData(dataSource, (metaData) -> metaData.getURL());
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("cannot tell which database holds the runs: " + ex.getMessage(), ex);
		}
		return url.startsWith("jdbc:postgresql:") ? new DatabaseLock(dataSource, DatabaseAddress.of(url))
				: new DirectoryLock(dataDir);
	}

	/**
	 * @return the lock, held until closed, or null when another process holds it
	 */
	Held tryAcquire() throws IOException, SQLException;

	/**
	 * Who holds the lock now, as {@code status} names it ("a process"), or empty when no
	 * process does.
	 */
	Optional<String> holder() throws IOException, SQLException;

	/** What a second run is told. */
	String refusal() throws IOException, SQLException;

	/**
	 * What the lock guards, as messages name it: the data directory, or the database's
	 * address without credentials.
	 */
	String place();

	/**
	 * Where the runs are, as a message about a run it does not hold says: "this data
	 * directory", "the database at …".
	 */
	String repository();

	/** The lock while this process holds it. */
	interface Held extends AutoCloseable {

		@Override
		void close() throws IOException;

	}

}

package org.imageferry.ledger;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * What the ledger's SQL says differently on the databases it runs on, the one place that
 * knows which one it is: the rest of its SQL (and the migrations) is common to H2 and
 * PostgreSQL. H2's planner is told which index a question reads: without the hint it
 * walks every item of a run, or sorts a state's rows, for questions the pipeline asks
 * several times a cycle (see {@code LedgerOrderTests}); PostgreSQL has no hints and plans
 * these questions from its statistics.
 */
enum Dialect {

	/** The embedded default: an H2 file. */
	H2 {
		@Override
		String useIndex(String index) {
			return " USE INDEX (" + index + ")";
		}

		/**
		 * H2 writes its committed changes to the file WRITE_DELAY after the commit (our
		 * URL's 500 ms, H2's default), in the background; {@code CHECKPOINT} writes them
		 * now (without an fsync: what it writes survives the process, as WRITE_DELAY=0's
		 * commits did).
		 */
		@Override
		void flush(JdbcOperations jdbc) {
			jdbc.execute("CHECKPOINT");
		}
	},

	/** A shared database: the job repository and ledger of several processes. */
	POSTGRESQL {
		@Override
		String useIndex(String index) {
			return "";
		}

		/** A PostgreSQL commit is on disk when it returns. */
		@Override
		void flush(JdbcOperations jdbc) {
		}
	};

	/**
	 * After a table in a {@code FROM} clause: read it through this index, where the
	 * database takes the hint.
	 */
	abstract String useIndex(String index);

	/**
	 * Makes what was committed so far outlive the process, for the writes the caller is
	 * about to act on outside it ({@link Commits#durably}); call outside a transaction.
	 */
	abstract void flush(JdbcOperations jdbc);

	/** The dialect of the database behind {@code dataSource}, asked once. */
	static Dialect of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("cannot tell which database holds the ledger: " + ex.getMessage(), ex);
		}
		return switch (product) {
			case "H2" -> H2;
			case "PostgreSQL" -> POSTGRESQL;
			default -> throw new IllegalStateException("the ledger runs on H2 or PostgreSQL, not on " + product);
		};
	}

}

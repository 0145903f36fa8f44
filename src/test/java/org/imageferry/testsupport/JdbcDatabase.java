package org.imageferry.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A database a test opens as the application would: its JDBC URL and the account it is
 * opened with.
 */
public record JdbcDatabase(String url, String username, String password) {

	/** A small pool on the database, migrated to the ledger's newest schema. */
	public HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(this.url);
		pool.setUsername(this.username);
		pool.setPassword(this.password);
		// connections as the test asks for them: a PostgreSQL connection is a process
		pool.setMinimumIdle(1);
		LedgerSchema.migrate(pool);
		return pool;
	}

	/** A connection of its own, outside any pool: it sees what is committed. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	@Override
	public String toString() {
		return this.url + " as " + this.username;
	}

}

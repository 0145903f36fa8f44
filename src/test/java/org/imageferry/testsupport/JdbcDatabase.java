package org.imageferry.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

	/**
	 * Appends {@code spring.datasource} naming this database and its account to a job
	 * profile, as an operator's profile moves the run to it; answers the profile.
	 */
	public Path appendTo(Path profile) throws IOException {
		return Files.writeString(profile, """
				spring:
				  datasource:
				    url: "%s"
				    username: %s
				    password: "%s"
				""".formatted(this.url, this.username, this.password), StandardOpenOption.APPEND);
	}

	/** A connection of its own, outside any pool: it sees what is committed. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	/** What {@code query} answers, committed: each row its columns joined by a space. */
	public List<String> rows(String query) throws SQLException {
		try (Connection db = connect()) {
			return rows(db, query);
		}
	}

	/**
	 * What {@code query} answers on {@code db}: each row its columns joined by a space.
	 */
	public static List<String> rows(Connection db, String query) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Statement sql = db.createStatement(); ResultSet result = sql.executeQuery(query)) {
			int columns = result.getMetaData().getColumnCount();
			while (result.next()) {
				StringBuilder row = new StringBuilder();
				for (int i = 1; i <= columns; i++) {
					row.append((i > 1) ? " " : "").append(result.getString(i));
				}
				rows.add(row.toString());
			}
		}
		return rows;
	}

	@Override
	public String toString() {
		return this.url + " as " + this.username;
	}

}

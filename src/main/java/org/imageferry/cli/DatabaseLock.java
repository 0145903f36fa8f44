package org.imageferry.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run lock of a job repository in PostgreSQL, which processes on several hosts share:
 * a session-level advisory lock ({@code pg_try_advisory_lock}) in that database, for the
 * schema the job repository is in, on a connection held for as long as the run. The
 * session ends with the process however that ends — a killed process's connection closes
 * and the server frees its locks — so there is no stale lock to clean up; a host that
 * vanishes without closing its connection holds the lock until the server's TCP keepalive
 * gives up on it (docs/operations.md). The session's {@code application_name} names the
 * holder's host and process, which the server shows everyone ({@code pg_stat_activity}):
 * a second run and {@code status} say who runs.
 */
final class DatabaseLock implements RunLock {

	private static final Logger log = LoggerFactory.getLogger(DatabaseLock.class);

	/**
	 * The lock's first key, image-ferry's run lock (any fixed number: other applications'
	 * advisory locks in the database are unlikely to use it); the second is the job
	 * repository's schema, so that two schemas of one database are two job repositories.
	 */
	private static final String KEY = "20240616, hashtext(coalesce(current_schema(), ''))";

	private static final String HOLDER = """
			SELECT a.application_name, host(a.client_addr), a.pid
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			  AND l.classid = 20240616 AND l.objid = hashtext(coalesce(current_schema(), ''))::oid
			""";

	private final DataSource dataSource;

	private final String address;

	DatabaseLock(DataSource dataSource, String address) {
		this.dataSource = dataSource;
		this.address = address;
	}

	/**
	 * Names the session before it takes the lock, so that whoever sees the lock also sees
	 * who holds it.
	 */
	@Override
	public Held tryAcquire() throws SQLException {
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new SQLException("cannot lock " + this.address + ": " + ex.getMessage(), ex.getSQLState(), ex);
		}
		try {
			connection.setAutoCommit(true);
			try (PreparedStatement name = connection
				.prepareStatement("SELECT set_config('application_name', ?, false)")) {
				name.setString(1, "image-ferry on " + host() + ", pid " + ProcessHandle.current().pid());
				name.execute();
			}
			if (ask(connection, "SELECT pg_try_advisory_lock(" + KEY + ")")) {
				return () -> release(connection);
			}
			forget(connection);
			connection.close();
			return null;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	public Optional<String> holder() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement sql = connection.createStatement();
				ResultSet result = sql.executeQuery(HOLDER)) {
			if (!result.next()) {
				return Optional.empty();
			}
			String name = result.getString(1);
			String from = result.getString(2);
			return Optional.of(((name != null && name.startsWith("image-ferry")) ? name
					: "the PostgreSQL session of process " + result.getLong(3))
					+ ((from != null) ? ", connected from " + from : ""));
		}
	}

	@Override
	public String refusal() throws SQLException {
		return "another image-ferry run holds the lock of " + this.address
				+ holder().map((who) -> " (" + who + ")").orElse("");
	}

	@Override
	public String place() {
		return this.address;
	}

	@Override
	public String repository() {
		return "the database at " + this.address;
	}

	/**
	 * Unlocks and gives the connection back as it was taken. Failing that (the server
	 * went away), the lock ends with the session, at the latest when the pool closes.
	 */
	private static void release(Connection connection) {
		try (connection) {
			ask(connection, "SELECT pg_advisory_unlock(" + KEY + ")");
			forget(connection);
		}
		catch (SQLException ex) {
			log.warn("could not release the run lock: {}; it ends with the database session", ex.getMessage());
		}
	}

	private static void forget(Connection connection) throws SQLException {
		try (Statement sql = connection.createStatement()) {
			sql.execute("RESET application_name");
		}
	}

	private static boolean ask(Connection connection, String query) throws SQLException {
		try (Statement sql = connection.createStatement(); ResultSet result = sql.executeQuery(query)) {
			return result.next() && result.getBoolean(1);
		}
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "an unnamed host";
		}
	}

}

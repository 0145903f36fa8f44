package org.imageferry.cli;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The job repository's database as messages name it: its JDBC URL without the
 * {@code jdbc:} prefix and without anything that may carry credentials — a user and
 * password before the host, the query ({@code ?user=…&password=…}), H2's
 * {@code ;}-settings. An operator reads where image-ferry looked; the log and a cron mail
 * get no secret.
 */
public final class DatabaseAddress {

	private DatabaseAddress() {
	}

	/**
	 * {@code postgresql://db.internal:5432/image_ferry} for
	 * {@code jdbc:postgresql://db.internal:5432/image_ferry?sslmode=verify-full}.
	 */
	public static String of(String jdbcUrl) {
		String url = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring("jdbc:".length()) : jdbcUrl;
		int end = url.length();
		for (char separator : new char[] { '?', ';' }) {
			int at = url.indexOf(separator);
			end = (at >= 0) ? Math.min(end, at) : end;
		}
		url = url.substring(0, end);
		int authority = url.indexOf("//");
		int user = url.indexOf('@', Math.max(authority, 0));
		int path = url.indexOf('/', authority + 2);
		if (authority >= 0 && user > authority && (path < 0 || user < path)) {
			url = url.substring(0, authority + 2) + url.substring(user + 1);
		}
		return url;
	}

	/**
	 * The message for a start that failed because the database could not be reached —
	 * refused, timed out, an unknown host, a server starting up or shutting down (SQL
	 * states {@code 08…} and {@code 57P03}) — or empty for any other failure: a wrong
	 * password or an unknown database stays a configuration error. An unreachable
	 * database is the environment's failure, like an unreachable identity endpoint: the
	 * same command can be retried.
	 */
	public static Optional<String> unreachable(Throwable failure, String jdbcUrl) {
		if (jdbcUrl == null) {
			return Optional.empty();
		}
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
				return Optional.of("cannot reach the database at " + of(jdbcUrl) + ": " + reason(sql));
			}
		}
		return Optional.empty();
	}

	/** What the driver found at the bottom: "Connection refused", "connect timed out"… */
	private static String reason(SQLException failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof UnknownHostException) {
			return "unknown host " + root.getMessage();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}

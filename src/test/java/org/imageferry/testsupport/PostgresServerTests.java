package org.imageferry.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The throwaway cluster the PostgreSQL tests run on: a real server on loopback that asks
 * for passwords, gone with its directory once closed.
 */
class PostgresServerTests {

	@Test
	void aDatabaseOpensOnLoopbackWithItsRolesPasswordAndNoOther() throws Exception {
		// given
		JdbcDatabase database = PostgresServer.shared().createDatabase();

		// when
		String seen;
		try (Connection connection = database.connect();
				Statement sql = connection.createStatement();
				ResultSet rs = sql.executeQuery(
						"SELECT current_user || ' ' || current_database() || ' ' || host(inet_server_addr())")) {
			rs.next();
			seen = rs.getString(1);
		}

		// then
		assertThat(seen).isEqualTo(database.username() + " " + database.username() + " 127.0.0.1");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(database.url(), database.username(), "not-the-password"))
			.withMessageContaining("password authentication failed");
	}

	@Test
	void eachDatabaseIsNewAndEmpty() throws Exception {
		// given
		PostgresServer server = PostgresServer.shared();
		JdbcDatabase first = server.createDatabase();
		try (Connection connection = first.connect(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE TABLE T (X INT)");
		}

		// when
		JdbcDatabase second = server.createDatabase();

		// then
		assertThat(second.url()).isNotEqualTo(first.url());
		try (Connection connection = second.connect();
				Statement sql = connection.createStatement();
				ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")) {
			rs.next();
			assertThat(rs.getInt(1)).isZero();
		}
	}

	@Test
	void closeStopsTheServerAndDeletesItsDirectoryUnderTarget() {
		// given
		PostgresServer server = PostgresServer.start();
		Path dir = server.directory();
		assertThat(dir).startsWith(Path.of("target").toAbsolutePath()).isDirectory();

		// when
		server.close();

		// then
		assertThat(Files.exists(dir)).isFalse();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
			}
		});
	}

}

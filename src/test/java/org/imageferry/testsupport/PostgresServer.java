package org.imageferry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's {@code postgresql} package
 * ({@link PostgresBinaries}): made with {@code initdb} under
 * {@code target/postgres-<random>/}, started with {@code pg_ctl} on a free loopback port
 * (its socket in the same directory), stopped and deleted by {@link #close()}; a later
 * start stops and deletes the cluster of a test JVM killed before it could. Every role
 * needs its password (SCRAM), as on an operator's server, and passwords never reach a
 * process's arguments: initdb reads the superuser's from a file, roles get theirs over
 * JDBC. Quick rather than safe ({@code fsync} off): a test's data need not survive a
 * power cut.
 */
public final class PostgresServer implements AutoCloseable {

	private static final String SUPERUSER = "ferry_admin";

	private static final Path TARGET = Path.of("target").toAbsolutePath();

	private static PostgresServer shared;

	private final PostgresBinaries programs;

	private final Path dir;

	private final String superuserPassword = secret();

	private final AtomicInteger databases = new AtomicInteger();

	private int port;

	private PostgresServer(PostgresBinaries programs, Path dir) {
		this.programs = programs;
		this.dir = dir;
	}

	/** A cluster for the whole test JVM, started at first use, deleted when it ends. */
	public static synchronized PostgresServer shared() {
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "postgres-server-stop"));
		}
		return shared;
	}

	/** A cluster of its own, started now (in a second or so). */
	public static PostgresServer start() {
		PostgresBinaries programs = PostgresBinaries.find();
		try {
			stopOrphans(programs);
			Path dir = Files.createDirectories(TARGET.resolve("postgres-" + secret().substring(0, 8)));
			Files.writeString(dir.resolve("owner"), owner(ProcessHandle.current()));
			PostgresServer server = new PostgresServer(programs, dir);
			server.initdb();
			server.startOnAFreePort();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A new database owned by a new role with a password of its own: what an operator
	 * creates for image-ferry (docs/operations.md).
	 */
	public JdbcDatabase createDatabase() {
		String name = "ferry_" + this.databases.incrementAndGet();
		String password = secret();
		try (Connection admin = DriverManager.getConnection(url("postgres"), SUPERUSER, this.superuserPassword);
				Statement sql = admin.createStatement()) {
			sql.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
			sql.execute("CREATE DATABASE " + name + " OWNER " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot create database " + name + ": " + ex.getMessage(), ex);
		}
		return new JdbcDatabase(url(name), name, password);
	}

	public int port() {
		return this.port;
	}

	/** Where the cluster lives: its data, socket and log ({@code server.log}). */
	public Path directory() {
		return this.dir;
	}

	/** Stops the server at once (nothing in it is kept) and deletes its directory. */
	@Override
	public synchronized void close() {
		if (!Files.exists(this.dir)) {
			return;
		}
		if (Files.exists(data().resolve("postmaster.pid"))) {
			run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
		}
		try (Stream<Path> files = Files.walk(this.dir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void initdb() throws IOException {
		Path passwordFile = Files.writeString(this.dir.resolve("superuser-password"), this.superuserPassword);
		this.programs.own(this.dir);
		this.programs.own(passwordFile);
		run("initdb", "-D", data().toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
				"-E", "UTF8", "--no-locale", "--no-sync");
		Files.delete(passwordFile);
		Files.writeString(data().resolve("postgresql.conf"), """
				listen_addresses = '127.0.0.1'
				unix_socket_directories = '%s'
				shared_buffers = 16MB
				max_connections = 100
				fsync = off
				synchronous_commit = off
				full_page_writes = off
				""".formatted(this.dir), StandardOpenOption.APPEND);
	}

	/**
	 * Tries a few free ports: another process may take the one found before it listens.
	 */
	private void startOnAFreePort() throws IOException {
		for (int attempt = 1;; attempt++) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				this.port = socket.getLocalPort();
			}
			this.programs.own(Files.writeString(data().resolve("postgresql.auto.conf"), "port = " + this.port + "\n"));
			ExternalTools.Result started = this.programs.execute("pg_ctl", "-D", data().toString(), "-l",
					this.dir.resolve("server.log").toString(), "-w", "-t", "30", "start");
			if (started.exitCode() == 0) {
				return;
			}
			if (attempt == 3) {
				throw new IllegalStateException("PostgreSQL did not start: " + started.output() + log());
			}
		}
	}

	/**
	 * Stops and deletes the clusters of test JVMs killed before they could: their
	 * {@code owner} (a process id and its start) no longer runs.
	 */
	private static void stopOrphans(PostgresBinaries programs) throws IOException {
		try (Stream<Path> dirs = Files.isDirectory(TARGET) ? Files.list(TARGET) : Stream.empty()) {
			for (Path dir : dirs.filter((d) -> d.getFileName().toString().startsWith("postgres-")).toList()) {
				Path owner = dir.resolve("owner");
				String recorded = Files.exists(owner) ? Files.readString(owner) : "";
				boolean running = ProcessHandle.allProcesses().anyMatch((process) -> owner(process).equals(recorded));
				if (!running) {
					new PostgresServer(programs, dir).close();
				}
			}
		}
	}

	private static String owner(ProcessHandle process) {
		return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("");
	}

	private void run(String program, String... arguments) {
		ExternalTools.Result result = this.programs.execute(program, arguments);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(program + " failed: " + result.output() + log());
		}
	}

	private String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	private Path data() {
		return this.dir.resolve("data");
	}

	private String log() {
		try {
			Path log = this.dir.resolve("server.log");
			return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static String secret() {
		byte[] bytes = new byte[12];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}

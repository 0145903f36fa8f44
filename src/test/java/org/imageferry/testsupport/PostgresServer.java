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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's {@code postgresql} package: made with
 * {@code initdb} under {@code target/postgres-<random>/}, started with {@code pg_ctl} on
 * a free loopback port (its socket in the same directory), stopped and deleted by
 * {@link #close()}. Every account needs a password (SCRAM): a test that connects with the
 * wrong one fails as it would against an operator's server. initdb and postgres refuse to
 * run as root, as the tests do in CI: as root they run as Debian's {@code postgres} user,
 * which then owns the directory. Without the binaries a test is skipped, and under
 * {@code CI=true} it fails ({@link ExternalTools}). Passwords never reach a process's
 * arguments: initdb reads the superuser's from a file, roles get theirs over JDBC.
 */
public final class PostgresServer implements AutoCloseable {

	private static final String SUPERUSER = "ferry_admin";

	private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

	private static final Path RUNUSER = Path.of("/usr/sbin/runuser");

	private static final Path TARGET = Path.of("target").toAbsolutePath();

	private static PostgresServer shared;

	private final Path bin;

	private final Path dir;

	private final String superuserPassword;

	private final AtomicInteger databases = new AtomicInteger();

	private int port;

	private PostgresServer(Path bin, Path dir) {
		this.bin = bin;
		this.dir = dir;
		this.superuserPassword = secret();
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
		Path bin = binaries();
		stopOrphans(bin);
		try {
			Path dir = Files.createDirectories(TARGET.resolve("postgres-" + secret().substring(0, 8)));
			Files.writeString(dir.resolve("owner"), owner(ProcessHandle.current()));
			PostgresServer server = new PostgresServer(bin, dir);
			server.initdb();
			server.startOnAFreePort();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Debian's newest {@code /usr/lib/postgresql/<major>/bin}, else the directory of
	 * {@code pg_ctl} on the {@code PATH}.
	 */
	static Path binaries() {
		try (Stream<Path> majors = Files.isDirectory(DEBIAN) ? Files.list(DEBIAN) : Stream.empty()) {
			return majors.map((major) -> major.resolve("bin"))
				.filter((dir) -> Files.isExecutable(dir.resolve("pg_ctl")) && Files.isExecutable(dir.resolve("initdb")))
				.max(Comparator.comparing((Path dir) -> Integer.parseInt(dir.getParent().getFileName().toString())))
				.orElseGet(() -> realDirectory(ExternalTools.require("pg_ctl")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path realDirectory(Path executable) {
		try {
			return executable.toRealPath().getParent();
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

	/** Where the cluster lives: its data, socket and log. */
	public Path directory() {
		return this.dir;
	}

	private String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	private void initdb() throws IOException {
		Path passwordFile = Files.writeString(this.dir.resolve("superuser-password"), this.superuserPassword);
		giveToServer(this.dir);
		giveToServer(passwordFile);
		run("initdb", "-D", data().toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
				"-E", "UTF8", "--no-locale", "--no-sync");
		Files.delete(passwordFile);
		// small and quick: a test's data need not survive a power cut
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
			this.port = freePort();
			giveToServer(Files.writeString(data().resolve("postgresql.auto.conf"), "port = " + this.port + "\n"));
			ExternalTools.Result started = execute("pg_ctl", "-D", data().toString(), "-l",
					this.dir.resolve("server.log").toString(), "-w", "-t", "30", "start");
			if (started.exitCode() == 0) {
				return;
			}
			if (attempt == 3) {
				throw new IllegalStateException("PostgreSQL did not start: " + started.output() + log());
			}
		}
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

	/**
	 * Stops and deletes the clusters of test JVMs that were killed before they could
	 * (their {@code owner}, a process id and its start, no longer running).
	 */
	private static void stopOrphans(Path bin) {
		try (Stream<Path> dirs = Files.isDirectory(TARGET) ? Files.list(TARGET) : Stream.empty()) {
			for (Path dir : dirs.filter((d) -> d.getFileName().toString().startsWith("postgres-")).toList()) {
				Path owner = dir.resolve("owner");
				String pid = Files.exists(owner) ? Files.readString(owner).split(" ")[0] : "";
				boolean alive = !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid))
					.map((process) -> owner(process).equals(readOrEmpty(owner)))
					.orElse(false);
				if (!alive) {
					new PostgresServer(bin, dir).close();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String owner(ProcessHandle process) {
		return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("");
	}

	private static String readOrEmpty(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private Path data() {
		return this.dir.resolve("data");
	}

	private void run(String program, String... arguments) {
		ExternalTools.Result result = execute(program, arguments);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(program + " failed: " + result.output() + log());
		}
	}

	/** Runs a program of {@link #bin}, as the {@code postgres} user when this is root. */
	private ExternalTools.Result execute(String program, String... arguments) {
		List<String> command = new ArrayList<>();
		if (root()) {
			command.addAll(List.of("-u", "postgres", "--"));
		}
		command.add(this.bin.resolve(program).toString());
		command.addAll(List.of(arguments));
		if (root()) {
			return ExternalTools.run(RUNUSER, command.toArray(String[]::new));
		}
		return ExternalTools.run(Path.of(command.remove(0)), command.toArray(String[]::new));
	}

	private static boolean root() {
		return "root".equals(System.getProperty("user.name"));
	}

	private void giveToServer(Path path) throws IOException {
		if (root()) {
			Files.setOwner(path,
					path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
		}
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

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String secret() {
		byte[] bytes = new byte[12];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}

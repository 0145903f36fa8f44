package org.imageferry.testsupport.realswift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.testsupport.ExternalTools;

/**
 * A real OpenStack Swift from Debian's packages — proxy, account, container and object
 * servers and memcached — on free loopback ports, for the tests of the data path: one per
 * test JVM, started by the first test that asks for it (in a few seconds) and killed,
 * every process of it, when the JVM ends. Everything it writes is under
 * {@code target/real-swift/<pid of the JVM>/}: configurations, rings, the storage device,
 * logs. The proxy authenticates with tempauth and knows two accounts, {@link #SOURCE} and
 * {@link #TARGET}, the two ends of a copy. A second proxy on the same storage, without
 * the bulk middleware, is started when a test asks for {@link #proxyWithoutBulk()}.
 * <p>
 * Without Swift's programs the tests that need it are skipped, and fail under
 * {@code CI=true} ({@link ExternalTools#require}).
 */
public final class RealSwift {

	/** An account of tempauth: {@code X-Auth-User} is {@code account:user}. */
	public record User(String account, String user, String key) {

		public String authUser() {
			return this.account + ":" + this.user;
		}

	}

	/** The account a copy reads from ({@code AUTH_test}). */
	public static final User SOURCE = new User("test", "tester", "testing");

	/** The account a copy writes to ({@code AUTH_test2}). */
	public static final User TARGET = new User("test2", "tester2", "testing2");

	private static final Logger log = LoggerFactory.getLogger(RealSwift.class);

	private static final Path ROOT = Path.of("target", "real-swift").toAbsolutePath();

	private static final long STARTUP_SECONDS = 60;

	private static RealSwift shared;

	private static RuntimeException failed;

	private final SwiftFiles files;

	private final SwiftFiles.Ports ports;

	private final Path proxyServer;

	private final Processes processes;

	private boolean withoutBulkStarted;

	private RealSwift(SwiftFiles files, SwiftFiles.Ports ports, Path proxyServer, Processes processes) {
		this.files = files;
		this.ports = ports;
		this.proxyServer = proxyServer;
		this.processes = processes;
	}

	/**
	 * This JVM's Swift, started on first use.
	 */
	public static synchronized RealSwift shared() {
		Programs programs = Programs.required();
		if (failed != null) {
			throw failed;
		}
		if (shared == null) {
			try {
				long started = System.nanoTime();
				shared = start(programs);
				log.info("a real Swift runs at {} (started in {} ms), its files in {}", shared.proxy(),
						(System.nanoTime() - started) / 1_000_000, shared.files.dir);
			}
			catch (RuntimeException ex) {
				failed = ex;
				throw ex;
			}
		}
		return shared;
	}

	/** The proxy's root, e.g. {@code http://127.0.0.1:41234}. */
	public URI proxy() {
		return URI.create("http://127.0.0.1:" + this.ports.proxy());
	}

	/**
	 * A second proxy on the same accounts and objects, whose pipeline lacks the bulk
	 * middleware: a Swift without bulk delete ({@code GET /info} lists no
	 * {@code bulk_delete}). Started on first use.
	 */
	public synchronized URI proxyWithoutBulk() {
		if (!this.withoutBulkStarted) {
			this.processes.start("proxy-server-without-bulk", this.proxyServer.toString(),
					this.files.conf("proxy-server-without-bulk").toString(), "-v");
			awaitHealthy(Map.of("proxy-server-without-bulk", this.ports.proxyWithoutBulk()));
			this.withoutBulkStarted = true;
		}
		return URI.create("http://127.0.0.1:" + this.ports.proxyWithoutBulk());
	}

	/** The account's tempauth through the proxy: its token and storage URL. */
	public TempAuth account(User user) {
		return new TempAuth(proxy(), user);
	}

	/** Requests the proxy served (its access log). */
	public ProxyLog proxyLog() {
		return new ProxyLog(this.files.log("proxy-server"), proxy());
	}

	/** The account's tempauth through the proxy without bulk delete. */
	public TempAuth accountWithoutBulk(User user) {
		return new TempAuth(proxyWithoutBulk(), user);
	}

	/** Requests the proxy without bulk delete served (its access log). */
	public ProxyLog proxyWithoutBulkLog() {
		return new ProxyLog(this.files.log("proxy-server-without-bulk"), proxyWithoutBulk());
	}

	private static RealSwift start(Programs programs) {
		try {
			SwiftFiles.ensureSwiftConf();
			Processes.reapLeftovers(ROOT);
			IllegalStateException last = null;
			for (int attempt = 1; attempt <= 3; attempt++) {
				Path dir = ROOT.resolve(Long.toString(ProcessHandle.current().pid()));
				deleteTree(dir);
				Processes processes = new Processes(dir);
				Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(processes, dir), "real-swift-stop"));
				try {
					return startOnce(programs, new SwiftFiles(dir), processes);
				}
				catch (IllegalStateException ex) {
					// a port taken between choosing it and binding it: new ports
					stop(processes, dir);
					last = ex;
				}
			}
			throw last;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while starting Swift", ex);
		}
	}

	private static RealSwift startOnce(Programs programs, SwiftFiles files, Processes processes)
			throws IOException, InterruptedException {
		SwiftFiles.Ports ports = freePorts();
		files.write(ports);
		Process rings = files.buildRings(programs.python(), ports);
		List<String> memcached = new ArrayList<>(List.of(programs.memcached().toString(), "-l", "127.0.0.1", "-p",
				Integer.toString(ports.memcached()), "-U", "0", "-m", "32"));
		if (System.getProperty("user.name").equals("root")) {
			memcached.addAll(List.of("-u", "root"));
		}
		processes.start("memcached", memcached.toArray(String[]::new));
		files.awaitRings(rings);
		processes.start("account-server", programs.account().toString(), files.conf("account-server").toString(), "-v");
		processes.start("container-server", programs.container().toString(), files.conf("container-server").toString(),
				"-v");
		processes.start("object-server", programs.object().toString(), files.conf("object-server").toString(), "-v");
		processes.start("proxy-server", programs.proxy().toString(), files.conf("proxy-server").toString(), "-v");
		RealSwift swift = new RealSwift(files, ports, programs.proxy(), processes);
		swift.awaitHealthy(Map.of("memcached", ports.memcached(), "account-server", ports.account(), "container-server",
				ports.container(), "object-server", ports.object(), "proxy-server", ports.proxy()));
		return swift;
	}

	/**
	 * Waits until each server answers its {@code /healthcheck} (memcached: accepts a
	 * connection); a server that exits instead fails the start with its log.
	 */
	private void awaitHealthy(Map<String, Integer> servers) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
		for (Map.Entry<String, Integer> server : servers.entrySet()) {
			while (!healthy(server.getKey(), server.getValue())) {
				this.processes.requireAlive(server.getKey(), this.files.log(server.getKey()));
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(server.getKey() + " of the test Swift did not become healthy in "
							+ STARTUP_SECONDS + " s; see " + this.files.log(server.getKey()));
				}
				sleep(50);
			}
		}
	}

	private static boolean healthy(String server, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			if (server.equals("memcached")) {
				return true;
			}
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write("GET /healthcheck HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] status = socket.getInputStream().readNBytes(12);
			return new String(status, StandardCharsets.US_ASCII).endsWith(" 200");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Six free loopback ports, held open together so that none is chosen twice. */
	private static SwiftFiles.Ports freePorts() throws IOException {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				ServerSocket socket = new ServerSocket();
				socket.bind(new InetSocketAddress("127.0.0.1", 0));
				sockets.add(socket);
			}
			int[] p = sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
			return new SwiftFiles.Ports(p[0], p[1], p[2], p[3], p[4], p[5]);
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
	}

	/** Kills every process of the Swift and deletes its stored objects; the logs stay. */
	private static void stop(Processes processes, Path dir) {
		processes.killAll();
		deleteTree(dir.resolve("devices"));
	}

	static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// left for the next run's clean-up
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for Swift", ex);
		}
	}

	/** Debian's programs of a Swift: a missing one skips the test, or fails it in CI. */
	private record Programs(Path python, Path memcached, Path proxy, Path account, Path container, Path object) {

		static Programs required() {
			return new Programs(ExternalTools.require("/usr/bin/python3"), ExternalTools.require("memcached"),
					ExternalTools.require("/usr/bin/swift-proxy-server"),
					ExternalTools.require("/usr/bin/swift-account-server"),
					ExternalTools.require("/usr/bin/swift-container-server"),
					ExternalTools.require("/usr/bin/swift-object-server"));
		}

	}

}

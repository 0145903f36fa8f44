package org.imageferry.job;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.cli.ExitCodes;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.JobProfile;
import org.imageferry.testsupport.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator meets when the job repository is a shared PostgreSQL database (a
 * throwaway cluster, {@link PostgresServer}): one run at a time per database whichever
 * host starts it — a second host is refused, naming the host and process that holds the
 * lock, and a killed process's lock frees itself with its session; a database that cannot
 * be reached is one plain line, quickly, naming it without credentials; and messages
 * about runs the database does not hold name the database, not a data directory.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedPostgresFunctionalTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@TempDir
	static Path dir;

	static PostgresServer server;

	static TestCloud cloud;

	CapturedOutput output;

	@BeforeAll
	static void start() throws Exception {
		// the JVM's throwaway cluster, a database of its own for each test
		server = PostgresServer.shared();
		// an export outlasts what the test does while the first run holds the lock
		cloud = new TestCloud(dir, TestCloud.defaults().taskLatency(Duration.ofSeconds(20), Duration.ofMillis(300)));
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	@Test
	void aRunOnASecondHostIsRefusedWhileTheFirstRunsAndItsKilledProcessFreesTheLock() throws Exception {
		// given: the same job on two hosts, each with its own data-dir, one database; the
		// first host's run is under way in a process of its own
		JdbcDatabase database = server.createDatabase();
		String id = cloud.seed("DFW", cloud.alice, "shared-0", SyntheticVhd.fixed(2 * TestCloud.MIB, 61));
		Path manifest = cloud.manifest("shared.csv", id);
		Path first = job(dir.resolve("host-a"), "nightly", database);
		Path second = job(dir.resolve("host-b"), "nightly", database);
		ChildFerry child = new ChildFerry(dir.resolve("host-a"), cloud.alice);
		Process run = child.run(first, manifest);
		assertThat(await(() -> !cloud.tasksFor("export", id).isEmpty(), run)).as(child.log()).isTrue();

		// when
		int refused = ImageFerryApplication.run("run", "--job", second.toString(), "--manifest", manifest.toString());
		String refusal = this.output.getErr();
		int during = ImageFerryApplication.run("status", "--job", second.toString());
		String inProgress = this.output.getOut();
		boolean alive = run.isAlive();
		run.destroyForcibly().waitFor();
		boolean freed = await(() -> advisoryLocks(database).equals(List.of("0")), null);
		int after = ImageFerryApplication.run("status", "--job", second.toString());
		String interrupted = this.output.getOut().substring(inProgress.length());
		int restart = ImageFerryApplication.run("restart", "--job", second.toString());

		// then: refused with today's exit code, naming where the lock is and who holds it
		assertThat(alive).as("the first run was still going").isTrue();
		assertThat(refused).as(refusal).isEqualTo(ExitCodes.LOCKED);
		String address = database.url().substring("jdbc:".length());
		assertThat(refusal).contains("image-ferry: another image-ferry run holds the lock of " + address)
			.contains("pid " + run.pid())
			.doesNotContain(database.password());
		assertThat(during).isEqualTo(ExitCodes.MIGRATED);
		assertThat(inProgress).containsPattern("execution \\d+: STARTED")
			.containsPattern("in progress: image-ferry on .*pid " + run.pid() + ".* holds the lock of " + address);
		// SIGKILL ended the session, and the lock with it
		assertThat(freed).as("the killed run's lock was freed").isTrue();
		assertThat(after).isEqualTo(ExitCodes.MIGRATED);
		assertThat(interrupted).contains("interrupted: no process holds it; `restart` resumes it");
		assertThat(restart).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(cloud.tasksFor("export", id)).hasSize(1);
		assertThat(cloud.migrated("IAD", "DFW", id)).hasSize(1);
		assertThat(advisoryLocks(database)).as("no lock left held").containsExactly("0");
	}

	@Test
	void anUnreachableDatabaseIsOnePlainLineNamingItWithoutCredentialsAndFailsFast() throws Exception {
		// given: a port nothing listens on, credentials in the profile and in the URL
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		JdbcDatabase nowhere = new JdbcDatabase(
				"jdbc:postgresql://127.0.0.1:" + port + "/ferry?user=ferry&password=Url-Secret-1", "ferry",
				"Profile-Secret-2");
		Path job = job(dir.resolve("nowhere"), "nowhere", nowhere);

		// when
		long started = System.nanoTime();
		int code = ImageFerryApplication.run("status", "--job", job.toString());
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		// then
		assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.RUN_FAILED);
		assertThat(this.output.getErr().strip())
			.isEqualTo("image-ferry: cannot reach the database at postgresql://127.0.0.1:" + port
					+ "/ferry: Connection refused");
		assertThat(took).as("the default connection timeout is a few seconds").isLessThan(Duration.ofSeconds(12));
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aDatabaseThatDoesNotAnswerFailsWithinTheDefaultConnectionTimeout() throws Exception {
		// given: a listener that takes connections and never answers, as a hung server
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			JdbcDatabase hung = new JdbcDatabase("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/ferry",
					"ferry", "Profile-Secret-3");
			Path job = job(dir.resolve("hung"), "hung", hung);

			// when
			long started = System.nanoTime();
			int code = ImageFerryApplication.run("status", "--job", job.toString());
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			// then
			assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.RUN_FAILED);
			assertThat(this.output.getErr().strip())
				.startsWith("image-ferry: cannot reach the database at postgresql://127.0.0.1:" + silent.getLocalPort()
						+ "/ferry: ")
				.doesNotContain("Secret")
				.doesNotContain("\n");
			assertThat(took).as("the default connection timeout is a few seconds").isLessThan(Duration.ofSeconds(15));
		}
	}

	@Test
	void aRunTheDatabaseDoesNotHoldIsLookedForInTheDatabaseNotADataDirectory() throws Exception {
		// given
		JdbcDatabase database = server.createDatabase();
		Path job = job(dir.resolve("empty"), "empty", database);

		// when
		int latest = ImageFerryApplication.run("status", "--job", job.toString());
		int byId = ImageFerryApplication.run("report", "--job", job.toString(), "--execution", "42");

		// then
		String address = database.url().substring("jdbc:".length());
		assertThat(latest).isEqualTo(ExitCodes.USAGE);
		assertThat(byId).isEqualTo(ExitCodes.USAGE);
		assertThat(this.output.getErr()).contains("profile 'empty' has no run in the database at " + address)
			.contains("there is no execution 42 in the database at " + address + "; it holds no execution yet")
			.doesNotContain("data directory");
	}

	/**
	 * The profile {@code <name>.yml} of a host whose files are under {@code home},
	 * {@code spring.datasource} naming the database.
	 */
	private static Path job(Path home, String name, JdbcDatabase database) throws IOException {
		Files.createDirectories(home);
		Path job = JobProfile.write(home.resolve(name + ".yml"), cloud.cloud.identityUrl(), home, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 100ms
				retry-delay: 10ms
				""".formatted(cloud.credentials(cloud.alice, cloud.alice)));
		return database.appendTo(job);
	}

	/** How many advisory locks sessions hold in the database. */
	private static List<String> advisoryLocks(JdbcDatabase database) {
		try {
			return database.rows("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
					+ " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Waits until the point is reached (true), or the process ends first (false). */
	private static boolean await(BooleanSupplier point, Process process) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline && (process == null || process.isAlive())) {
			if (point.getAsBoolean()) {
				return true;
			}
			Thread.sleep(50);
		}
		return false;
	}

}

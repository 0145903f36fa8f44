package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manager ({@code run} with {@code workers: 2}) and two {@code worker} processes on one
 * shared database — here an H2 file with {@code AUTO_SERVER}, which processes of one host
 * may share; {@link PostgresWorkersFunctionalTests} runs the same scenarios on PostgreSQL
 * ({@link #database()}) — one worker SIGKILLed while it copies (its images go to the
 * other once its leases expire), or stopped by SIGTERM (at once): the run completes with
 * every image migrated once. Each worker reaches the simulator at a host of its own
 * (127.0.0.2, .3, .4: {@link #startWorker()}), as workers on several machines would.
 */
class WorkersFunctionalTests {

	static final Duration PATIENCE = Duration.ofSeconds(150);

	/** The manager's host, then one per worker. */
	static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");

	@TempDir
	Path dir;

	TestCloud cloud;

	ChildFerry child;

	final List<Process> started = new ArrayList<>();

	final List<AutoCloseable> closing = new ArrayList<>();

	final List<String> ids = new ArrayList<>();

	JdbcDatabase database;

	Path job;

	Path manifest;

	private int workers;

	@BeforeEach
	void startCloud() throws IOException {
		this.cloud = new TestCloud(this.dir, cloudConfig());
		this.child = new ChildFerry(this.dir, this.cloud.alice, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
		this.database = database();
		for (int i = 0; i < 5; i++) {
			this.ids.add(this.cloud.seed("DFW", this.cloud.alice, "shared-" + i,
					SyntheticVhd.fixed((5 + i % 3) * TestCloud.MIB - 512, 200 + i)));
		}
		this.manifest = this.cloud.manifest("shared.csv", this.ids.toArray(String[]::new));
		this.job = profile(2, "");
	}

	@AfterEach
	void stop() throws Exception {
		this.started.forEach(Process::destroyForcibly);
		for (AutoCloseable each : this.closing) {
			each.close();
		}
		this.cloud.close();
	}

	/** The simulated cloud: one host for the manager and one for each worker. */
	SimulatorConfig.Builder cloudConfig() {
		return TestCloud.defaults().hosts(HOSTS);
	}

	/** The database the manager and the workers share: an H2 file with AUTO_SERVER. */
	JdbcDatabase database() {
		return new JdbcDatabase(
				"jdbc:h2:file:" + this.dir.resolve("data/image-ferry").toAbsolutePath()
						+ ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=500;OPTIMIZE_REUSE_RESULTS=FALSE",
				"sa", "");
	}

	/**
	 * The profile of five images of five to seven 1 MiB segments: copies capped at 2 MB/s
	 * a worker, leases of 3 s, {@code workers} workers, the shared database.
	 */
	Path profile(int workers, String more) throws IOException {
		Path job = JobProfile.write(this.dir.resolve("shared-" + workers + ".yml"), this.cloud.cloud.identityUrl(),
				this.dir, """
						source: { region: DFW, container: exports }
						target: { region: IAD, container: imports }
						workers: %d
						lease: 3s
						transfer-concurrency: 1
						bandwidth-limit: 2MB/s
						poll-interval: 200ms
						retry-delay: 20ms
						consistency-wait: 5s
						%s
						""".formatted(workers, more));
		return this.database.appendTo(job);
	}

	@Test
	void twoWorkersOneKilledMidCopyMigrateEveryImageOnce() throws Exception {
		// given
		Path job = this.job;
		Path manifest = this.manifest;
		List<String> ids = this.ids;

		// when: the manager starts, then the workers; one is killed while it holds a
		// copy half-way
		Process manager = start("run", "--job", job.toString(), "--manifest", manifest.toString());
		awaitTrue(() -> !this.cloud.inspect().tasks().isEmpty(), manager, "the manager's first export");
		Process doomed = startWorker();
		Process survivor = startWorker();
		awaitTrue(() -> copyingHalfWay(doomed.pid()), doomed, "a copy of the first worker half-way");
		doomed.destroyForcibly().waitFor();
		boolean managerEnded = manager.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		boolean survivorEnded = survivor.waitFor(30, TimeUnit.SECONDS);

		// then
		assertThat(managerEnded).as("the manager ends\n" + this.child.log()).isTrue();
		assertThat(manager.exitValue()).as(this.child.log() + steps()).isZero();
		assertThat(survivorEnded).as("the surviving worker ends with the run\n" + this.child.log()).isTrue();
		assertThat(survivor.exitValue()).as(this.child.log()).isZero();
		for (String id : ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(this.cloud.inspect().imageMd5(target)).isEqualTo(this.cloud.inspect().imageMd5(id));
		}
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE LEASE_OWNER IS NOT NULL")).as("leases held").isZero();
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE TRANSFER_WORKER LIKE '%:" + survivor.pid() + "/%'"))
			.as("images the surviving worker moved, the dead one's among them")
			.isPositive();
		assertThat(count("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'copySlot:%' "
				+ "AND EXIT_MESSAGE LIKE 'WORKER_LOST%'"))
			.as("the dead worker's slot, closed by the survivor")
			.isEqualTo(1);
	}

	@Test
	void aWorkerStoppedBySigtermMidCopyGivesItsImagesToTheOtherAndExitsZero() throws Exception {
		// given
		Process manager = start("run", "--job", this.job.toString(), "--manifest", this.manifest.toString());
		awaitTrue(() -> !this.cloud.inspect().tasks().isEmpty(), manager, "the manager's first export");
		Process leaving = startWorker();
		Process staying = startWorker();
		awaitTrue(() -> copyingHalfWay(leaving.pid()), leaving, "a copy of the first worker half-way");

		// when
		leaving.destroy();
		boolean left = leaving.waitFor(30, TimeUnit.SECONDS);

		// then: it finished its segment and left at once, its lease given up
		assertThat(left).as("the stopped worker ends\n" + this.child.log()).isTrue();
		assertThat(leaving.exitValue()).as(this.child.log()).isZero();
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE LEASE_OWNER LIKE '%:" + leaving.pid() + "/%'"))
			.as("leases of the stopped worker")
			.isZero();
		// and the run completes, the other worker copying the rest
		assertThat(manager.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(this.child.log()).isTrue();
		assertThat(manager.exitValue()).as(this.child.log() + steps()).isZero();
		assertThat(staying.waitFor(30, TimeUnit.SECONDS)).as(this.child.log()).isTrue();
		for (String id : this.ids) {
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(this.cloud.inspect().imageMd5(target)).isEqualTo(this.cloud.inspect().imageMd5(id));
		}
		assertThat(count("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'copySlot:%' "
				+ "AND EXIT_MESSAGE LIKE 'WORKER_LEFT%'"))
			.as("the stopped worker's slot")
			.isEqualTo(1);
	}

	@Test
	void aManagerKilledMidCopyIsRecoveredByTheSameCommandAndItsSlotsHandedOutAgain() throws Exception {
		// given: a manager killed while a worker copies. The test's own connection opens
		// the H2 file first, so this JVM serves it (AUTO_SERVER): the manager's death
		// must not take the database with it, as it would not on PostgreSQL
		this.closing.add(this.database.connect());
		Process manager = start("run", "--job", this.job.toString(), "--manifest", this.manifest.toString());
		awaitTrue(() -> !this.cloud.inspect().tasks().isEmpty(), manager, "the manager's first export");
		Process first = startWorker();
		Process second = startWorker();
		awaitTrue(() -> copyingHalfWay(first.pid()), first, "a copy of the first worker half-way");
		manager.destroyForcibly().waitFor();

		// when: the same command again, and two workers for it
		Process again = start("run", "--job", this.job.toString(), "--manifest", this.manifest.toString());
		boolean oldWorkersEnded = first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)
				&& second.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		startWorker();
		startWorker();
		boolean ended = again.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then: the dead execution's workers left once it was recovered; the run
		// completed with every image migrated once
		assertThat(oldWorkersEnded).as("the dead execution's workers end\n" + this.child.log()).isTrue();
		assertThat(first.exitValue()).as(this.child.log()).isZero();
		assertThat(ended).as("the restarted run ends\n" + this.child.log()).isTrue();
		assertThat(again.exitValue()).as(this.child.log() + steps()).isZero();
		for (String id : this.ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(this.cloud.inspect().imageMd5(target)).isEqualTo(this.cloud.inspect().imageMd5(id));
		}
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE LEASE_OWNER IS NOT NULL")).isZero();
	}

	Process start(String... args) throws IOException {
		Process process = this.child.start(args);
		this.started.add(process);
		return process;
	}

	/**
	 * Starts a {@code worker} of the profile on the next worker host (127.0.0.2, .3, .4,
	 * then .2 again): its identity URL names that host, so all its calls cross that
	 * host's link.
	 */
	Process startWorker() throws IOException {
		return startWorker(this.job);
	}

	Process startWorker(Path job) throws IOException {
		String host = HOSTS.get(1 + this.workers++ % (HOSTS.size() - 1));
		Process process = this.child.start(Map.of("IMAGE_FERRY_IDENTITY_URL", this.cloud.cloud.identityUrl(host)),
				"worker", "--job", job.toString());
		this.started.add(process);
		return process;
	}

	/**
	 * Whether the worker holds the lease of an image with segments copied and to copy.
	 */
	boolean copyingHalfWay(long pid) {
		return count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE LEASE_OWNER LIKE '%:" + pid
				+ "/%' AND SEGMENTS_DONE > 0 AND SEGMENTS_DONE < SEGMENTS") > 0;
	}

	/** The run's step executions, for a failure's description. */
	String steps() {
		StringBuilder steps = new StringBuilder("\nsteps:\n");
		try (Connection db = this.database.connect();
				Statement sql = db.createStatement();
				ResultSet rs = sql.executeQuery("SELECT STEP_NAME, STATUS, EXIT_CODE, EXIT_MESSAGE "
						+ "FROM BATCH_STEP_EXECUTION ORDER BY STEP_EXECUTION_ID")) {
			while (rs.next()) {
				steps.append(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
					.append('\n');
			}
		}
		catch (SQLException ex) {
			steps.append(ex);
		}
		return steps.toString();
	}

	long count(String query) {
		try (Connection db = this.database.connect();
				Statement sql = db.createStatement();
				ResultSet rs = sql.executeQuery(query)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			// not created yet
			return -1;
		}
	}

	void awaitTrue(java.util.function.BooleanSupplier condition, Process process, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(process.isAlive()).as("alive while waiting for " + what + "\n" + this.child.log()).isTrue();
			assertThat(System.nanoTime()).as("waiting for " + what + "\n" + this.child.log()).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

}

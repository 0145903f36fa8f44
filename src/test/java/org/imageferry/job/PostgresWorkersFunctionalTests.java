package org.imageferry.job;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkersFunctionalTests}' scenarios on PostgreSQL (a throwaway cluster shared by
 * the test JVM, a database per test), each worker host's link capped so that copies take
 * seconds, and the proof of issue 16: a manager and three workers, one worker SIGKILLed
 * mid-copy and the manager SIGKILLed once.
 */
class PostgresWorkersFunctionalTests extends WorkersFunctionalTests {

	/**
	 * Each host's link, both directions together: a worker copying through its host moves
	 * about half of it, 1.5 MB/s — a 1 MiB segment in under a second, an image in a few.
	 */
	private static final long HOST_BANDWIDTH = 3_000_000;

	@Override
	SimulatorConfig.Builder cloudConfig() {
		return super.cloudConfig().hostBandwidth(HOST_BANDWIDTH);
	}

	@Override
	JdbcDatabase database() {
		return PostgresServer.shared().createDatabase();
	}

	@Test
	void threeWorkersOneKilledMidCopyAndTheManagerKilledOnceMigrateEveryImageOnceByteForByte() throws Exception {
		// given: three workers, the exported segments kept in both regions to compare
		// them
		Path job = profile(3, "cleanup: NONE");
		Process manager = start("run", "--job", job.toString(), "--manifest", this.manifest.toString());
		awaitTrue(() -> !this.cloud.inspect().tasks().isEmpty(), manager, "the manager's first export");
		List<Process> workers = List.of(startWorker(job), startWorker(job), startWorker(job));

		// when: a worker is killed half-way through a copy, then the manager while
		// another worker copies
		Process doomed = workers.get(0);
		awaitTrue(() -> copyingHalfWay(doomed.pid()), doomed, "a copy of the first worker half-way");
		doomed.destroyForcibly().waitFor();
		awaitTrue(() -> copyingHalfWay(workers.get(1).pid()) || copyingHalfWay(workers.get(2).pid()), manager,
				"a copy of another worker half-way");
		long migratedBefore = count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE STATE = 'MIGRATED'");
		manager.destroyForcibly().waitFor();
		// and the same command again, with three workers for it once the old ones left
		Process again = start("run", "--job", job.toString(), "--manifest", this.manifest.toString());
		boolean oldWorkersEnded = workers.get(1).waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)
				&& workers.get(2).waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		List<Process> replacements = List.of(startWorker(job), startWorker(job), startWorker(job));
		boolean ended = again.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);

		// then
		assertThat(migratedBefore).as("images migrated when the manager was killed").isLessThan(this.ids.size());
		assertThat(oldWorkersEnded).as("the dead execution's workers end\n" + this.child.log()).isTrue();
		assertThat(workers.get(1).exitValue()).as(this.child.log()).isZero();
		assertThat(ended).as("the restarted run ends\n" + this.child.log()).isTrue();
		assertThat(again.exitValue()).as(this.child.log() + steps()).isZero();
		for (Process replacement : replacements) {
			assertThat(replacement.waitFor(30, TimeUnit.SECONDS)).as(this.child.log()).isTrue();
			assertThat(replacement.exitValue()).as(this.child.log()).isZero();
		}
		Inspection cloud = this.cloud.inspect();
		String tenant = this.cloud.alice.tenantId();
		for (String id : this.ids) {
			assertThat(this.cloud.tasksFor("export", id)).as("export tasks of " + id).hasSize(1);
			assertThat(this.cloud.tasksFor("import", id)).as("import tasks of " + id).hasSize(1);
			assertThat(this.cloud.migrated("IAD", "DFW", id)).as("target images of " + id).hasSize(1);
			String target = this.cloud.migrated("IAD", "DFW", id).get(0).id();
			assertThat(cloud.imageMd5(target)).isEqualTo(cloud.imageMd5(id));
			List<String> segments = cloud.objects("DFW", tenant)
				.stream()
				.filter((o) -> o.container().equals("exports") && o.name().startsWith(id + ".vhd-"))
				.map(Inspection.ObjectView::name)
				.toList();
			assertThat(segments).as("exported segments of " + id).hasSizeGreaterThanOrEqualTo(5);
			for (String segment : segments) {
				assertThat(cloud.md5("IAD", tenant, "imports", segment)).as("target segment " + segment)
					.isEqualTo(cloud.md5("DFW", tenant, "exports", segment));
			}
		}
		assertThat(count("SELECT COUNT(*) FROM FERRY_IMAGE WHERE LEASE_OWNER IS NOT NULL")).as("leases held").isZero();
		assertThat(count("SELECT COUNT(DISTINCT TRANSFER_WORKER) FROM FERRY_IMAGE")).as("workers that moved images")
			.isGreaterThan(1);
	}

}

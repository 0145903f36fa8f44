package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * The whole job on the command line with {@code spring.datasource.*} in the job profile
 * naming a PostgreSQL database (a throwaway cluster, {@link PostgresServer}): every image
 * migrates, Spring Batch's job repository and the ledger are in PostgreSQL — nothing in
 * an H2 file — and {@code status} and {@code report} read them from there.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresFunctionalTests {

	@TempDir
	static Path dir;

	static PostgresServer server;

	static TestCloud cloud;

	CapturedOutput output;

	@BeforeAll
	static void start() throws Exception {
		// the JVM's throwaway cluster, a database of its own for each test
		server = PostgresServer.shared();
		cloud = new TestCloud(dir, TestCloud.defaults());
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
	void aRunKeepsItsJobRepositoryAndLedgerInPostgresqlAndStatusAndReportReadThem() throws Exception {
		// given: six images, fixed and dynamic, some of several segments
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			SyntheticVhd vhd = (i % 2 == 0) ? SyntheticVhd.fixed((1 + i) * TestCloud.MIB - 512, 40 + i)
					: SyntheticVhd.dynamic((2 + i) * TestCloud.MIB, 40 + i, 0.5);
			ids.add(cloud.seed("DFW", cloud.alice, "pg-" + i, vhd));
		}
		Path manifest = cloud.manifest("pg.csv", ids.toArray(String[]::new));
		JdbcDatabase database = server.createDatabase();
		Path home = dir.resolve("pg");
		Path job = job(home, database);

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then: migrated once each, byte for byte as the other functional tests check
		assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		for (String id : ids) {
			assertThat(cloud.migrated("IAD", "DFW", id)).as("target image of " + id).hasSize(1);
			assertThat(cloud.tasksFor("export", id)).hasSize(1);
			assertThat(cloud.tasksFor("import", id)).hasSize(1);
		}
		// the job repository and the ledger are PostgreSQL's, and no H2 file was made
		assertThat(database.rows("SELECT STATUS, EXIT_CODE FROM BATCH_JOB_EXECUTION"))
			.containsExactly("COMPLETED COMPLETED");
		assertThat(database.rows("SELECT STATE, COUNT(*) FROM FERRY_IMAGE GROUP BY STATE"))
			.containsExactly("MIGRATED 6");
		assertThat(database.rows("SELECT COUNT(*) FROM FERRY_RUN_ITEM WHERE DISPOSITION = 'MIGRATE'"))
			.containsExactly("6");
		assertThat(database.rows("SELECT \"version\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\""))
			.containsExactly("1", "2", "3", "4", "5");
		assertThat(files(home)).noneMatch((file) -> file.getFileName().toString().endsWith(".mv.db"));
		System.out.println("PostgreSQL database after the run: "
				+ database.rows("SELECT pg_size_pretty(pg_database_size(current_database()))"));

		// when: status, and the report written again from the database
		int from = this.output.getOut().length();
		int status = ImageFerryApplication.run("status", "--job", job.toString());
		String statusOutput = this.output.getOut().substring(from);
		List<Path> written = files(home.resolve("reports"));
		for (Path file : written) {
			Files.delete(file);
		}
		int report = ImageFerryApplication.run("report", "--job", job.toString());

		// then
		assertThat(status).isEqualTo(ExitCodes.MIGRATED);
		for (String id : ids) {
			assertThat(statusOutput).containsPattern(id + "\\s+iad\\s+migrated\\s+[0-9a-f-]{36}");
		}
		assertThat(report).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		Path csv = files(home.resolve("reports")).stream()
			.filter((file) -> file.toString().endsWith(".csv"))
			.findFirst()
			.orElseThrow();
		assertThat(Files.readString(csv)).contains(ids.stream().map((id) -> id + ",migrated,").toList());
	}

	@Test
	void aWrongPasswordIsRefusedInOneLineThatDoesNotRepeatIt() throws Exception {
		// given
		JdbcDatabase database = server.createDatabase();
		JdbcDatabase wrong = new JdbcDatabase(database.url(), database.username(), "Wr0ng-" + database.password());
		Path job = job(dir.resolve("wrong"), wrong);

		// when
		int code = ImageFerryApplication.run("status", "--job", job.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.output.getErr()).contains("could not start with job profile " + job)
			.contains("password authentication failed for user \"" + database.username() + "\"")
			.doesNotContain(wrong.password())
			.doesNotContain("\tat ");
	}

	/**
	 * A profile whose {@code spring.datasource} names the database; its password in the
	 * file (owner-only, as a profile holding one should be).
	 */
	static Path job(Path home, JdbcDatabase database) throws IOException {
		Path job = JobProfile.write(dir.resolve(home.getFileName() + ".yml"), cloud.cloud.identityUrl(), home, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 100ms
				retry-delay: 10ms
				consistency-wait: 5s
				""".formatted(cloud.credentials(cloud.alice, cloud.alice)));
		return database.appendTo(job);
	}

	private static List<Path> files(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return List.of();
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.filter(Files::isRegularFile).toList();
		}
	}

}

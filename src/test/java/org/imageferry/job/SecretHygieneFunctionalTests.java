package org.imageferry.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.JobProfile;
import org.imageferry.testsupport.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real run in a child process, logging at DEBUG, with a distinctive API key: neither
 * the key nor any token the simulated identity issued appears in the run's output, the
 * data directory's bytes (job repository and ledger), the job parameters, the reports,
 * the metrics textfile or the process's arguments — whether the key came from the
 * environment or from a credentials file; nor does the password of a PostgreSQL database
 * given in the environment.
 */
class SecretHygieneFunctionalTests {

	static final String API_KEY = "SeCrEt-9f3a1c7e-KEY";

	@TempDir
	Path dir;

	TestCloud cloud;

	@BeforeEach
	void startCloud() throws IOException {
		this.cloud = new TestCloud(this.dir,
				TestCloud.defaults()
					.accounts(List.of(new Account("hygiene", API_KEY, "hygiene-password", "300001"),
							new Account("other", "other-api-key", "other-password", "300002"))));
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	@Test
	void aKeyFromTheEnvironmentLeaksNowhere() throws Exception {
		// given
		Path job = job("env", null);
		Path manifest = manifest();

		// when
		Run run = run(job, manifest, Map.of("RAX_USERNAME", "hygiene", "RAX_API_KEY", API_KEY));

		// then
		assertNothingLeaked(run);
	}

	@Test
	void aKeyFromACredentialsFileLeaksNowhere() throws Exception {
		// given
		Path credentials = this.cloud.credentials(this.cloud.alice, this.cloud.alice);
		Path job = job("file", credentials);
		Path manifest = manifest();

		// when
		Run run = run(job, manifest, Map.of());

		// then
		assertThat(contains(Files.readAllBytes(credentials), API_KEY)).as("the scan finds a key where it is").isTrue();
		assertNothingLeaked(run);
	}

	@Test
	void aDatabasePasswordFromTheEnvironmentLeaksNowhere() throws Exception {
		// given: the job repository and ledger in PostgreSQL, the profile naming the
		// database and its user, the password in SPRING_DATASOURCE_PASSWORD
		PostgresServer server = PostgresServer.shared();
		JdbcDatabase database = server.createDatabase();
		Path job = Files.writeString(job("postgres", null), """
				spring:
				  datasource:
				    url: %s
				    username: %s
				""".formatted(database.url(), database.username()), StandardOpenOption.APPEND);

		// when
		Run run = run(job, manifest(), Map.of("RAX_USERNAME", "hygiene", "RAX_API_KEY", API_KEY,
				"SPRING_DATASOURCE_PASSWORD", database.password(), "LOGGING_LEVEL_COM_ZAXXER_HIKARI", "DEBUG"));

		// then: it ran on the database (SCRAM: no password, no connection)
		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(database.rows("SELECT STATE FROM FERRY_IMAGE")).containsExactly("MIGRATED", "MIGRATED");
		String password = database.password();
		assertThat(run.log()).as("output, with the pool's settings").contains(database.url()).doesNotContain(password);
		assertThat(run.arguments()).as("process arguments").isNotEmpty().noneMatch((a) -> a.contains(password));
		for (Path file : files(this.dir.resolve("reports"))) {
			assertThat(contains(Files.readAllBytes(file), password)).as("bytes of " + file).isFalse();
		}
		assertThat(database.rows("SELECT PARAMETER_VALUE FROM BATCH_JOB_EXECUTION_PARAMS")).as("job parameters")
			.isNotEmpty()
			.noneMatch((p) -> p.contains(password));
		Path serverLog = server.directory().resolve("server.log");
		assertThat(Files.readString(serverLog)).as("the server's log").doesNotContain(password);
	}

	private void assertNothingLeaked(Run run) throws Exception {
		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(run.log()).as("the run logged at DEBUG").contains("DEBUG");
		List<String> secrets = new ArrayList<>(this.cloud.inspect().issuedTokens());
		assertThat(secrets).as("tokens issued").isNotEmpty();
		secrets.add(API_KEY);
		String imageId = this.cloud.inspect().images().get(0).id();
		assertThat(files(this.dir.resolve("data"))).as("the scan sees strings the database stores")
			.anyMatch((file) -> contains(bytes(file), imageId));
		for (String secret : secrets) {
			assertThat(run.log()).as("output").doesNotContain(secret);
			assertThat(run.arguments()).as("process arguments").isNotEmpty().noneMatch((a) -> a.contains(secret));
			for (Path file : files(this.dir.resolve("data"))) {
				assertThat(contains(Files.readAllBytes(file), secret)).as("bytes of " + file).isFalse();
			}
			List<Path> reports = files(this.dir.resolve("reports"));
			assertThat(reports).extracting((p) -> p.getFileName().toString())
				.anyMatch((n) -> n.endsWith(".csv"))
				.anyMatch((n) -> n.endsWith(".json"))
				.anyMatch((n) -> n.endsWith(".html"))
				.contains("image-ferry.prom");
			for (Path file : reports) {
				assertThat(contains(Files.readAllBytes(file), secret)).as("bytes of " + file).isFalse();
			}
			assertThat(jobParameters()).as("job parameters").isNotEmpty().noneMatch((p) -> p.contains(secret));
		}
	}

	private Path job(String name, Path credentialsFile) throws IOException {
		return JobProfile.write(this.dir.resolve(name + ".yml"), this.cloud.cloud.identityUrl(), this.dir, """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 100ms
				retry-delay: 20ms
				consistency-wait: 5s
				""" + ((credentialsFile != null) ? "credentials-file: " + credentialsFile + "\n" : ""));
	}

	private Path manifest() {
		String a = this.cloud.seed("DFW", this.cloud.alice, "hygiene-a", SyntheticVhd.fixed(3 * TestCloud.MIB, 31));
		String b = this.cloud.seed("DFW", this.cloud.alice, "hygiene-b",
				SyntheticVhd.dynamic(8 * TestCloud.MIB, 32, 0.5));
		return this.cloud.manifest("hygiene.csv", a, b);
	}

	/** What the child showed of itself while it ran, and how it ended. */
	record Run(int exitCode, String log, List<String> arguments) {
	}

	private Run run(Path job, Path manifest, Map<String, String> environment) throws Exception {
		Path log = this.dir.resolve("run.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), ImageFerryApplication.class.getName(), "run", "--job",
				job.toString(), "--manifest", manifest.toString());
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
		builder.environment().putAll(environment);
		builder.environment().put("LOGGING_LEVEL_ORG_IMAGEFERRY", "DEBUG");
		Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		List<String> arguments = new ArrayList<>();
		// read while it runs: a JVM takes far longer to start than this
		byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
		arguments.addAll(List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0")));
		process.toHandle().info().arguments().ifPresent((a) -> arguments.addAll(List.of(a)));
		process.toHandle().info().commandLine().ifPresent(arguments::add);
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the run ends").isTrue();
		return new Run(process.exitValue(), Files.readString(log), arguments);
	}

	private List<String> jobParameters() throws Exception {
		List<String> rows = new ArrayList<>();
		String url = "jdbc:h2:file:" + this.dir.resolve("data").toAbsolutePath().resolve("image-ferry")
				+ ";AUTO_SERVER=TRUE";
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT PARAMETER_NAME, PARAMETER_TYPE, PARAMETER_VALUE FROM BATCH_JOB_EXECUTION_PARAMS")) {
			while (result.next()) {
				rows.add(result.getString(1) + "=" + result.getString(3) + " (" + result.getString(2) + ")");
			}
		}
		return rows;
	}

	private static List<Path> files(Path dir) throws IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.filter(Files::isRegularFile).toList();
		}
	}

	private static byte[] bytes(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Looks for the text as UTF-8 and as UTF-16 (either byte order). */
	private static boolean contains(byte[] bytes, String text) {
		for (byte[] needle : List.of(text.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_16BE),
				text.getBytes(StandardCharsets.UTF_16LE))) {
			for (int i = 0; i + needle.length <= bytes.length; i++) {
				int j = 0;
				while (j < needle.length && bytes[i + j] == needle[j]) {
					j++;
				}
				if (j == needle.length) {
					return true;
				}
			}
		}
		return false;
	}

}

package org.imageferry.cli;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A job profile or environment that cannot work ends with one plain message naming the
 * key or the problem, and its documented exit code — 64 for configuration (an API key
 * identity refuses included), 1 for an identity that cannot be reached (the same command
 * can be retried) — before any task is created.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadConfigurationFunctionalTests {

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Path credentials;

	static Path manifest;

	CapturedOutput output;

	int tasks;

	@BeforeAll
	static void start() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder().segmentSize(1024 * 1024).build());
		credentials = credentialsFile("credentials", "alice", cloud.config().accounts().get(0).apiKey());
		String id = cloud.addImage(ImageSeed.of("DFW", "100001", "config", SyntheticVhd.fixed(1024 * 1024, 1)));
		manifest = Files.writeString(dir.resolve("config.csv"), "image_id\n" + id + "\n");
	}

	static Path credentialsFile(String name, String username, String apiKey) throws Exception {
		return JobProfile.credentials(dir.resolve(name), "username=" + username + "\napi-key=" + apiKey + "\n");
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	String stderr() {
		return this.output.getErr();
	}

	/**
	 * A profile against the simulator: the given lines replace the defaults of the same
	 * key; {@code credentials-file} is left out when null.
	 */
	static Path profile(String name, String identityUrl, Path credentialsFile, String source, String target)
			throws Exception {
		return JobProfile.write(dir.resolve(name + ".yml"), identityUrl, dir.resolve("home-" + name), """
				source: %s
				target: %s
				poll-interval: 100ms
				retries: 1
				retry-delay: 10ms
				http-timeout: 5s
				""".formatted(source, target)
				+ ((credentialsFile != null) ? "credentials-file: " + credentialsFile + "\n" : ""));
	}

	static Path profile(String name, String source, String target) throws Exception {
		return profile(name, cloud.identityUrl(), credentials, source, target);
	}

	int run(Path job) {
		return ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
	}

	void assertRefusedBeforeAnyTask(int code, int expected, String... fragments) {
		assertThat(code).as(stderr()).isEqualTo(expected);
		assertThat(stderr()).startsWith("image-ferry: ").contains(fragments);
		assertThat(this.output.getOut() + stderr()).doesNotContain("\tat ").doesNotContain("Exception");
		assertThat(cloud.inspect().tasks()).hasSize(this.tasks);
	}

	@Test
	void anUnknownRegionNamesTheRegionsTheUserHas() throws Exception {
		// given
		Path job = profile("region", "{ region: DFW, container: exports }", "{ region: XYZ, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "region XYZ is not in the catalog of user 'alice'",
				"[DFW, IAD, ORD]");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{ start: '25:00', end: '06:00' }|image-ferry.window.start",
					"{ start: '22:00' }|image-ferry.window.end is not set",
					"{ start: '22:00', end: '06:00', zone: Mars/Olympus }|image-ferry.window.zone",
					"{ start: '22:00', end: '23:00', drain: 2h }|image-ferry.window.drain" })
	void aWindowThatCannotWorkNamesTheKey(String window, String named) throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("window.yml"), Files.readString(
				profile("window-base", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
				+ "  window: " + window + "\n");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, named);
	}

	@Test
	void aMissingRegionNamesTheKey() throws Exception {
		// given
		Path job = profile("no-region", "{ container: exports }", "{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "image-ferry.source.region is not set");
	}

	@Test
	void missingCredentialsSayWhatToSet() throws Exception {
		// given
		assumeThat(System.getenv()).as("RAX_* variables set in the test's environment")
			.doesNotContainKeys("RAX_USERNAME", "RAX_API_KEY", "RAX_SOURCE_USERNAME", "RAX_SOURCE_API_KEY");
		Path job = profile("no-credentials", cloud.identityUrl(), null, "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "no credentials for the source account",
				"RAX_USERNAME and RAX_API_KEY", "image-ferry.credentials-file");
	}

	@Test
	void aCredentialsFileOthersCanWriteIsRefused() throws Exception {
		// given
		Path open = credentialsFile("open-credentials", "alice", "alice-api-key");
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
		Path job = profile("open-credentials", cloud.identityUrl(), open, "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "credentials file " + open, "chmod 600");
	}

	@Test
	void anApiKeyIdentityRefusesIsAConfigurationErrorNamingTheUser() throws Exception {
		// given
		Path wrong = credentialsFile("wrong-credentials", "alice", "not-alices-key");
		Path job = profile("wrong-credentials", cloud.identityUrl(), wrong, "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE,
				"refused the API key of user 'alice' (HTTP 401); check the username and API key");
	}

	@ParameterizedTest
	@ValueSource(strings = { "with/slash", "what?", "dotted.name" })
	void aContainerNameRackspaceRefusesNamesTheKey(String container) throws Exception {
		// given
		Path job = profile("container", "{ region: DFW, container: '" + container + "' }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE,
				"image-ferry.source.container '" + container + "' is not a valid export container");
	}

	@Test
	void aSetPropertyRackspaceProtectsNamesTheKey() throws Exception {
		// given
		Path job = profile("set-protected", "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }\nset-properties: { vm_mode: hvm, os_type: linux }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "image-ferry.set-properties.os_type",
				"Rackspace protects 'os_type'");
		assertThat(stderr()).doesNotContain("vm_mode");
	}

	@Test
	void anUnreachableIdentityFailsTheRunWhichCanBeRetried() throws Exception {
		// given
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path job = profile("unreachable", "http://127.0.0.1:" + port + "/v2.0", credentials,
				"{ region: DFW, container: exports }", "{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.RUN_FAILED,
				"identity at http://127.0.0.1:" + port + "/v2.0 is unreachable", "can be retried");
	}

	@Test
	void anIdentityUrlThatIsNotHttpNamesTheKey() throws Exception {
		// given
		Path job = profile("not-http", "ftp://identity.example", credentials, "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "image-ferry.identity-url must be an http(s) URL");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			value = { "retries: many | image-ferry.retries = 'many' is not valid",
					"retries: 1\\n  bandwidth-limit: 50MB | image-ferry.bandwidth-limit = '50MB' is not valid",
					"retries: 1\\n  bandwidth-limit: 08:00,50MB/s 20:00,slow | image-ferry.bandwidth-limit = "
							+ "'08:00,50MB/s 20:00,slow' is not valid" })
	void aValueThatCannotBeBoundNamesTheKey(String line, String expected) throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("wrong-type.yml"), Files
			.readString(profile("typed", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
			.replace("retries: 1", line.replace("\\n", "\n")));

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, expected);
	}

	@Test
	void aMisspelledKeyIsAConfigurationErrorNamingTheKeyItsLineAndItsFile() throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("misspelled.yml"), Files
			.readString(
					profile("spelled", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
			.replace("poll-interval: 100ms", "poll-intervall: 100ms"));

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE,
				"job profile " + job + " has a key image-ferry does not know (misspelled?):\n"
						+ "  line 8: image-ferry.poll-intervall (did you mean image-ferry.poll-interval?)");
	}

	@Test
	void keysBelowARecordAndOutsideImageFerryAreCheckedToo() throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("misplaced.yml"),
				Files.readString(profile("placed", "{ region: DFW, container: exports, regoin: IAD }",
						"{ region: IAD, container: imports }")) + "transfer-concurrency: 4\n");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "has 2 keys image-ferry does not know",
				"line 6: image-ferry.source.regoin (did you mean image-ferry.source.region?)",
				"line 13: transfer-concurrency (did you mean image-ferry.transfer-concurrency?)");
	}

	@Test
	void refusalsComeBeforeTheApplicationStarts() throws Exception {
		// given: the application would create the data directory first thing
		Path job = Files.writeString(dir.resolve("early.yml"),
				Files.readString(
						profile("early", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
						+ "  poll-intervall: 1s\n");
		Path good = profile("early-manifest", "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");
		Path empty = Files.writeString(dir.resolve("empty.csv"), "");

		// when
		int unknownKey = ImageFerryApplication.run("status", "--job", job.toString());
		int emptyManifest = ImageFerryApplication.run("run", "--job", good.toString(), "--manifest", empty.toString());

		// then
		assertThat(unknownKey).as(stderr()).isEqualTo(ExitCodes.USAGE);
		assertThat(emptyManifest).as(stderr()).isEqualTo(ExitCodes.MANIFEST_REFUSED);
		assertThat(stderr()).contains("image-ferry.poll-intervall", "manifest " + empty + " is empty");
		assertThat(dir.resolve("home-early")).doesNotExist();
		assertThat(dir.resolve("home-early-manifest")).doesNotExist();
	}

	@Test
	void theSameRegionOfTheSameAccountAtBothEndsIsRefused() throws Exception {
		// given
		Path job = profile("same", "{ region: DFW, container: exports }", "{ region: dfw, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "source and target are the same region of the same account");
	}

	@Test
	void aCapBelowOneNamesTheKey() throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("no-slots.yml"),
				Files.readString(
						profile("slots", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
						+ "  tasks-in-flight-per-region: 0\n");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "image-ferry.tasks-in-flight-per-region must be at least 1");
	}

	@Test
	void aManifestLineLimitBelowOneIsAConfigurationError() throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("no-lines.yml"),
				Files.readString(
						profile("lines", "{ region: DFW, container: exports }", "{ region: IAD, container: imports }"))
						+ "  max-manifest-lines: 0\n");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "image-ferry.max-manifest-lines must be at least 1");
	}

	@Test
	void aCredentialsFileThatDoesNotExistIsNamed() throws Exception {
		// given
		Path absent = dir.resolve("absent-credentials");
		Path job = profile("absent-credentials", cloud.identityUrl(), absent, "{ region: DFW, container: exports }",
				"{ region: IAD, container: imports }");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "credentials file " + absent + " does not exist");
	}

	@Test
	void aJobProfileThatDoesNotExistIsNamed() {
		// given
		Path absent = dir.resolve("absent.yml");

		// when
		int code = run(absent);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "absent.yml");
	}

	@Test
	void aJobProfileThatIsNotYamlIsNamed() throws Exception {
		// given
		Path job = Files.writeString(dir.resolve("broken.yml"), "image-ferry:\n  source: { region: DFW\n\t- [\n");

		// when
		int code = run(job);

		// then
		assertRefusedBeforeAnyTask(code, ExitCodes.USAGE, "broken.yml");
	}

}

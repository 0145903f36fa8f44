package org.imageferry.cli;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection.ImageView;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Hostile manifests through the real command line: each of the corpus in
 * {@code src/test/resources/manifests/hostile/} (indexed by its {@code expectations.csv})
 * and those that cannot be committed (a million rows, a missing file, a directory, an
 * unreadable file) ends with one plain message and the documented exit code, never a
 * stack trace, and none of them loses what a good manifest migrated before them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class HostileManifestFunctionalTests {

	/**
	 * Migrated by the good manifest before any hostile one; the corpus lists them too.
	 */
	static final List<String> GOOD = List.of("11111111-1111-4111-8111-111111111111",
			"22222222-2222-4222-8222-222222222222");

	/** Present in the source region, migrated by the corpus's valid lines. */
	static final int FRESH = 7;

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Path job;

	static long goodExecution;

	static Map<String, String> goodTargets;

	CapturedOutput output;

	@BeforeAll
	static void migrateAGoodManifestFirst() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofMillis(50), Duration.ofMillis(50))
			.build());
		for (String id : GOOD) {
			seed(id);
		}
		for (int i = 1; i <= FRESH; i++) {
			seed("33333333-3333-4333-8333-33333333330" + i);
		}
		Account alice = cloud.config().accounts().get(0);
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=alice\napi-key=" + alice.apiKey() + "\n");
		job = JobProfile.write(dir.resolve("hostile.yml"), cloud.identityUrl(), dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 50ms
				retry-delay: 10ms
				""".formatted(credentials));
		Path good = Files.writeString(dir.resolve("good.csv"), "image_id\n" + String.join("\n", GOOD) + "\n");
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream original = System.out;
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		int code;
		try {
			code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", good.toString());
		}
		finally {
			System.setOut(original);
		}
		assertThat(code).as(captured.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.MIGRATED);
		Matcher execution = Pattern.compile("run \\d+, execution (\\d+): COMPLETED")
			.matcher(captured.toString(StandardCharsets.UTF_8));
		assertThat(execution.find()).isTrue();
		goodExecution = Long.parseLong(execution.group(1));
		goodTargets = targets();
		assertThat(goodTargets).hasSize(GOOD.size());
	}

	static void seed(String id) {
		cloud.addImage(ImageSeed
			.of("DFW", "100001", "hostile-" + id.substring(0, 8), SyntheticVhd.fixed(1024 * 1024, id.hashCode()))
			.withId(id));
	}

	/** Source image id → target image id, from the provenance of the IAD images. */
	static Map<String, String> targets() {
		return cloud.inspect()
			.images()
			.stream()
			.filter((i) -> i.region().equals("IAD") && i.properties().containsKey("image_ferry_source"))
			.filter((i) -> GOOD.contains(i.properties().get("image_ferry_source").substring("DFW:".length())))
			.collect(Collectors.toMap((i) -> i.properties().get("image_ferry_source").substring("DFW:".length()),
					ImageView::id));
	}

	static List<String> targetImages() {
		return cloud.inspect().images().stream().filter((i) -> i.region().equals("IAD")).map(ImageView::id).toList();
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	String output() {
		return this.output.getOut() + this.output.getErr();
	}

	int run(Path manifest) {
		return ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
	}

	void assertPlainRefusal(int code, int tasksBefore, String fragment) {
		assertThat(code).as(output()).isEqualTo(ExitCodes.MANIFEST_REFUSED);
		assertThat(this.output.getErr()).contains("image-ferry: manifest ").contains(fragment);
		assertNoStackTrace();
		assertThat(cloud.inspect().tasks()).hasSize(tasksBefore);
	}

	/** No stack trace, and nothing a terminal would take as a control sequence. */
	void assertNoStackTrace() {
		assertThat(output()).doesNotContain("\tat ")
			.doesNotContain("Exception")
			.doesNotContainPattern("[\\p{Cc}\\p{Cf}&&[^\\n\\r\\t]]");
	}

	@Order(1)
	@ParameterizedTest(name = "{0} ({3}): exit {1}")
	@CsvFileSource(resources = "/manifests/hostile/expectations.csv", numLinesToSkip = 1)
	void eachHostileManifestEndsPlainlyWithItsExitCode(String file, int exit, String fragments, String note)
			throws URISyntaxException {
		// given
		Path manifest = Path.of(getClass().getResource("/manifests/hostile/" + file).toURI());
		int tasks = cloud.inspect().tasks().size();
		List<String> targetImages = targetImages();

		// when
		int code = run(manifest);

		// then
		assertThat(code).as(output()).isEqualTo(exit);
		assertThat(output()).contains(fragments.split(" && "));
		assertNoStackTrace();
		assertThat(targetImages()).containsAll(targetImages);
		if (exit == ExitCodes.MANIFEST_REFUSED) {
			assertThat(this.output.getErr()).contains("image-ferry: manifest " + manifest);
			assertThat(cloud.inspect().tasks()).hasSize(tasks);
		}
	}

	@Order(2)
	@Test
	void aMillionRowsAreRefusedAtTheFirstLineBeyondTheLimit() throws Exception {
		// given
		Path manifest = dir.resolve("million.csv");
		try (BufferedWriter writer = Files.newBufferedWriter(manifest)) {
			writer.write("image_id\n");
			for (int i = 0; i < 1_000_000; i++) {
				writer.write("00000000-0000-4000-8000-");
				String n = Integer.toString(1_000_000_000 + i);
				writer.write("00" + n);
				writer.write('\n');
			}
		}
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = run(manifest);

		// then
		assertPlainRefusal(code, tasks, "line 100002: more than 100000 image lines; split the manifest, or raise "
				+ "image-ferry.max-manifest-lines in the job profile");
	}

	@Order(2)
	@Test
	void theLimitIsTheProfiles() throws Exception {
		// given
		Path small = Files.writeString(dir.resolve("small-limit.yml"),
				Files.readString(job) + "  max-manifest-lines: 1\n");
		Path manifest = Files.writeString(dir.resolve("two.csv"), "image_id\n" + String.join("\n", GOOD) + "\n");
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", small.toString(), "--manifest", manifest.toString());

		// then
		assertPlainRefusal(code, tasks, "two.csv line 3: more than 1 image lines");
	}

	@Order(2)
	@Test
	void aMissingManifestIsRefused() {
		// given
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = run(dir.resolve("absent.csv"));

		// then
		assertPlainRefusal(code, tasks, "absent.csv does not exist");
	}

	@Order(2)
	@Test
	void aDirectoryIsRefused() throws Exception {
		// given
		Path directory = Files.createDirectories(dir.resolve("manifest-dir.csv"));
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = run(directory);

		// then
		assertPlainRefusal(code, tasks, "manifest-dir.csv is a directory, not a CSV file");
	}

	@Order(2)
	@Test
	void anUnreadableManifestIsRefused() throws Exception {
		// given
		Path manifest = Files.writeString(dir.resolve("unreadable.csv"), "image_id\n" + GOOD.get(0) + "\n");
		Files.setPosixFilePermissions(manifest, PosixFilePermissions.fromString("---------"));
		assumeThat(Files.isReadable(manifest)).as("running as root: nothing is unreadable").isFalse();
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = run(manifest);

		// then
		assertPlainRefusal(code, tasks, "unreadable.csv cannot be read: permission denied");
	}

	@Order(2)
	@Test
	void aDeviceIsRefusedNotReadForever() {
		// given
		Path zero = Path.of("/dev/zero");
		assumeThat(zero).exists();
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = run(zero);

		// then
		assertPlainRefusal(code, tasks, "/dev/zero is not a regular file (a device or a pipe?)");
	}

	@Order(2)
	@Test
	void extraFieldsInALineRefuseTheManifestUnderStrict() throws Exception {
		// given
		Path manifest = Path.of(getClass().getResource("/manifests/hostile/unquoted-comma-in-name.csv").toURI());
		int tasks = cloud.inspect().tasks().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString(),
				"--strict");

		// then
		assertPlainRefusal(code, tasks, "refused (--strict): 1 invalid line\n  line 3: 3 fields but the header "
				+ "names 2 columns; quote a value that holds a comma");
	}

	@Order(2)
	@Test
	void optionsTakeTheirValueAfterAnEqualsSignToo() {
		// when: the good manifest again, its run already completed
		int code = ImageFerryApplication.run("run", "--job=" + job, "--manifest=" + dir.resolve("good.csv"));

		// then
		assertThat(code).as(output()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(this.output.getOut()).contains("execution " + goodExecution + ": COMPLETED",
				GOOD.size() + " migrated");
		assertNoStackTrace();
	}

	@Order(3)
	@Test
	void anUnknownExecutionIsAUsageErrorNamingTheExecutionsThereAre() {
		// when
		int code = ImageFerryApplication.run("status", "--job", job.toString(), "--execution", "999");

		// then
		assertThat(code).as(output()).isEqualTo(ExitCodes.USAGE);
		assertThat(this.output.getErr())
			.containsPattern("image-ferry: there is no execution 999 in this data directory; it holds "
					+ "profile 'hostile': executions " + goodExecution + "-\\d+\n")
			.doesNotContain("Incorrect result size");
		assertNoStackTrace();
	}

	@Order(3)
	@Test
	void nothingTheGoodManifestMigratedWasLost() {
		// when
		int code = ImageFerryApplication.run("status", "--job", job.toString(), "--execution",
				Long.toString(goodExecution));

		// then
		assertThat(code).as(output()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(targets()).isEqualTo(goodTargets);
		for (String id : GOOD) {
			assertThat(this.output.getOut())
				.containsPattern(Pattern.quote(id) + "\\s+iad\\s+migrated\\s+" + Pattern.quote(goodTargets.get(id)));
		}
		assertThat(this.output.getOut()).contains(GOOD.size() + " migrated");
		assertThat(targetImages()).containsAll(goodTargets.values());
	}

}

package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.ingest.Provenance;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run with three targets, as an operator meets it: IAD and SYD in alice's account, ORD
 * in bob's. One image's import fails in ORD: the other targets migrate it, the run exits
 * 2, and the source's export is kept until a later run migrates it to ORD too — adopting
 * that export, not making another — and then deleted.
 */
@ExtendWith(OutputCaptureExtension.class)
class ThreeTargetsFunctionalTests {

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Account alice;

	static Account bob;

	static Path job;

	CapturedOutput output;

	@BeforeAll
	static void start() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.regions(List.of("DFW", "IAD", "ORD", "SYD"))
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build());
		alice = cloud.config().accounts().get(0);
		bob = cloud.config().accounts().get(1);
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=" + alice.username() + "\napi-key=" + alice.apiKey() + "\nbob.username=" + bob.username()
						+ "\nbob.api-key=" + bob.apiKey() + "\n");
		job = JobProfile.write(dir.resolve("three.yml"), cloud.identityUrl(), dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				targets:
				  - { name: iad, region: IAD, container: imports }
				  - { name: ord, region: ORD, container: imports, account: bob }
				  - { name: syd, region: SYD }
				poll-interval: 100ms
				retry-delay: 10ms
				""".formatted(credentials));
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
	void aTargetThatFailsAnImportKeepsTheExportUntilALaterRunMigratesIt() throws Exception {
		// given: a's import fails in ORD
		String a = image("three-a");
		String b = image("three-b");
		cloud.faults(Faults.builder().forcedImportFailures(Map.of("ORD:" + a, 396)).build());
		Path first = Files.writeString(dir.resolve("first.csv"), "image_id\n" + a + "\n" + b + "\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", first.toString());

		// then: one export per image, an import per image and target; a stays exported
		assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.SOME_FAILED);
		assertThat(tasks("export", a)).hasSize(1);
		assertThat(tasks("export", b)).hasSize(1);
		for (String region : List.of("IAD", "ORD", "SYD")) {
			assertThat(tasks("import", a)).filteredOn((t) -> t.region().equals(region)).hasSize(1);
			assertThat(tasks("import", b)).filteredOn((t) -> t.region().equals(region)).hasSize(1);
		}
		assertThat(this.output.getOut()).contains("5 migrated, 1 failed");
		assertThat(outcome(a, "ord")).contains("failed").contains("396");
		assertThat(outcome(a, "iad")).contains("migrated");
		assertThat(exports()).contains(a + ".vhd").doesNotContain(b + ".vhd");
		assertThat(migratedCopies(a)).containsOnlyKeys("IAD", "SYD");
		Path csv = latestReport(".csv");
		assertThat(Files.readAllLines(csv)).hasSize(7)
			.anySatisfy((row) -> assertThat(row).startsWith("2," + a + ",failed,").endsWith(",ord"));
		assertThat(Files.readString(dir.resolve("reports/image-ferry.prom"))).contains("target=\"ord\"")
			.contains("target=\"syd\"");

		// and when: status shows where each target stands
		ImageFerryApplication.run("status", "--job", job.toString());

		// then
		assertThat(this.output.getOut().lines().filter((l) -> l.contains(a) && l.contains(" ord ")))
			.anySatisfy((l) -> assertThat(l).contains("failed"));

		// and when: ORD takes the import again, and a later run (another manifest, as
		// tomorrow's) retries what failed
		cloud.faults(Faults.none());
		Path second = Files.writeString(dir.resolve("second.csv"), "image_id,target_name\n" + a + ",\n" + b + ",\n");
		int again = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", second.toString());

		// then: the export an earlier run left was adopted and, the last target done,
		// deleted; nothing else was imported again
		assertThat(again).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(tasks("export", a)).hasSize(1);
		assertThat(migratedCopies(a)).containsOnlyKeys("IAD", "ORD", "SYD");
		assertThat(tasks("import", b)).hasSize(3);
		assertThat(exports()).doesNotContain(a + ".vhd");
	}

	@Test
	void aDryRunPlansEachImageForEachTarget() throws Exception {
		// given
		String c = image("three-dry");
		Path manifest = Files.writeString(dir.resolve("dry.csv"), "image_id\n" + c + "\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString(),
				"--dry-run");

		// then
		assertThat(code).as(this.output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(this.output.getOut()).contains("IAD:alice (iad), ORD:bob (ord), SYD:alice (syd)")
			.contains("total: 3 line(s); 3 would migrate");
		assertThat(this.output.getOut().lines().filter((l) -> l.startsWith("    2  " + c)))
			.extracting((l) -> l.substring(45, 53).strip())
			.containsExactly("iad", "ord", "syd");
	}

	@Test
	void aProfileWithBothTargetKeysATargetWithoutRegionOrOneTargetTwiceIsRefused() throws Exception {
		// given
		Path both = JobProfile.write(dir.resolve("both.yml"), cloud.identityUrl(), dir, """
				source: { region: DFW }
				target: { region: IAD }
				targets:
				  - { region: ORD }
				""");
		Path noRegion = JobProfile.write(dir.resolve("no-region.yml"), cloud.identityUrl(), dir, """
				source: { region: DFW }
				targets:
				  - { region: ORD }
				  - { name: syd }
				""");
		Path twice = JobProfile.write(dir.resolve("twice.yml"), cloud.identityUrl(), dir, """
				credentials-file: %s
				source: { region: DFW }
				targets:
				  - { name: east, region: IAD }
				  - { name: east-again, region: iad }
				""".formatted(dir.resolve("credentials")));
		Path manifest = Files.writeString(dir.resolve("refused.csv"), "image_id\n" + image("three-refused") + "\n");
		int tasks = cloud.inspect().tasks().size();

		// when
		int bothCode = ImageFerryApplication.run("run", "--job", both.toString(), "--manifest", manifest.toString());
		int noRegionCode = ImageFerryApplication.run("run", "--job", noRegion.toString(), "--manifest",
				manifest.toString());
		int twiceCode = ImageFerryApplication.run("run", "--job", twice.toString(), "--manifest", manifest.toString());

		// then
		assertThat(List.of(bothCode, noRegionCode, twiceCode)).containsOnly(ExitCodes.USAGE);
		assertThat(this.output.getErr()).contains("image-ferry.target and image-ferry.targets are both set")
			.contains("image-ferry.targets[1].region is not set")
			.contains("target east-again is the region and account of another target (IAD:alice)");
		assertThat(cloud.inspect().tasks()).hasSize(tasks);
	}

	private String image(String name) {
		return cloud.addImage(ImageSeed.of("DFW", alice.tenantId(), name, SyntheticVhd.fixed(1024 * 1024, 5)));
	}

	private List<Inspection.TaskView> tasks(String type, String imageId) {
		return cloud.inspect()
			.tasks()
			.stream()
			.filter((t) -> t.type().equals(type) && t.input().toString().contains(imageId))
			.toList();
	}

	/** The line of the latest outcome table or status about an image on a target. */
	private String outcome(String imageId, String target) {
		List<String> lines = this.output.getOut()
			.lines()
			.filter((l) -> l.contains(imageId) && l.contains("  " + target + "  "))
			.toList();
		assertThat(lines).isNotEmpty();
		return lines.get(lines.size() - 1);
	}

	/** Object names in alice's export container in DFW. */
	private static List<String> exports() {
		return cloud.inspect()
			.objects("DFW", alice.tenantId())
			.stream()
			.filter((o) -> o.container().equals("exports"))
			.map(Inspection.ObjectView::name)
			.toList();
	}

	/** The images whose provenance names the source image, by region. */
	private static Map<String, String> migratedCopies(String sourceId) {
		return cloud.inspect()
			.images()
			.stream()
			.filter((i) -> Provenance.value("DFW", sourceId).equals(i.properties().get(Provenance.PROPERTY)))
			.collect(Collectors.toMap(Inspection.ImageView::region, Inspection.ImageView::id));
	}

	private static Path latestReport(String suffix) throws Exception {
		try (var files = Files.list(dir.resolve("reports"))) {
			return files.filter((f) -> f.toString().endsWith(suffix))
				.max(Comparator.comparing((f) -> f.toFile().lastModified()))
				.orElseThrow();
		}
	}

}

package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run against a cloud that protects image properties as Rackspace does
 * ({@link Rules#protectedProperties()}), from source images carrying Rackspace's full
 * property set: every image migrates, with the profile's boot properties, and a warning
 * naming the keys the target refused, in the outcome table, {@code status}, the reports
 * and the metrics. Only the first image pays for finding the refused keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProtectedPropertiesFunctionalTests {

	private static final int IMAGES = 4;

	private static final String REFUSED = "org.openstack__1__architecture, org.openstack__1__os_distro, "
			+ "org.openstack__1__os_version";

	private static final String WARNING = "migrated with a warning: the target refused " + REFUSED + ", not copied";

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Path job;

	@BeforeAll
	static void start() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.rules(Rules.builder()
				.protectedProperties(true)
				.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
				.build())
			.build());
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=alice\napi-key=" + cloud.config().accounts().get(0).apiKey() + "\n");
		// one image finished at a time, so the PATCHes count image by image
		job = JobProfile.write(dir.resolve("protected.yml"), cloud.identityUrl(), dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 100ms
				retry-delay: 10ms
				api-concurrency: 1
				set-properties:
				  vm_mode: hvm
				  img_config_drive: mandatory
				  xenapi_use_agent: "False"
				""".formatted(credentials));
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@Test
	void imagesWhoseSourceCarriesProtectedPropertiesMigrateWithAWarningNamingTheKeys(CapturedOutput output)
			throws Exception {
		// given
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < IMAGES; i++) {
			ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "protected-" + i, SyntheticVhd.fixed(1 << 20, i))));
		}
		Path manifest = Files.writeString(dir.resolve("protected.csv"), "image_id\n" + String.join("\n", ids) + "\n");

		// when
		int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
		int status = ImageFerryApplication.run("status", "--job", job.toString());

		// then: migrated, exit 0, the warning in the outcome table and in status
		assertThat(code).as(output.getErr()).isEqualTo(ExitCodes.MIGRATED);
		assertThat(status).isEqualTo(ExitCodes.MIGRATED);
		String[] tables = output.getOut().split("\\n");
		for (String id : ids) {
			assertThat(Stream.of(tables).filter((line) -> line.contains(id) && line.contains(WARNING)))
				.as("outcome table and status line of %s", id)
				.hasSize(2);
		}
		// the images carry everything else, and the boot properties
		for (String id : ids) {
			Inspection.ImageView image = migrated(id);
			assertThat(image.properties()).containsEntry("vm_mode", "hvm")
				.containsEntry("img_config_drive", "mandatory")
				.containsEntry("xenapi_use_agent", "False")
				.containsEntry("os_distro", "ubuntu")
				.containsEntry("cache_in_nova", "True")
				.doesNotContainKey("org.openstack__1__os_distro")
				.containsEntry("image_type", "import");
		}
		// the first image found the refused keys in a few requests, the others took one
		assertThat(patches() - (IMAGES - 1)).isBetween(2L, 10L);
		// the reports
		Path reports = dir.resolve("reports");
		String csv = Files.readString(only(reports, ".csv"));
		for (String id : ids) {
			assertThat(csv).containsPattern(id + ",migrated,.*,\"" + WARNING + "\",.*,"
					+ REFUSED.replace(", ", " ").replace(".", "\\.") + ",,iad\r\n");
		}
		JsonNode images = new ObjectMapper().readTree(only(reports, ".json").toFile()).get("images");
		assertThat(images).hasSize(IMAGES)
			.allSatisfy((image) -> assertThat(image.get("properties_not_copied")).extracting(JsonNode::asText)
				.containsExactly(REFUSED.split(", ")));
		String html = Files.readString(only(reports, ".html"));
		assertThat(html.split("<tr class=\"migrated warning\">", -1)).hasSize(IMAGES + 1);
		// the metrics, by key
		String metrics = Files.readString(reports.resolve("image-ferry.prom"));
		for (String key : REFUSED.split(", ")) {
			assertThat(sample(metrics, "image_ferry_properties_not_copied_total", "property=\"" + key + "\""))
				.isEqualTo(IMAGES);
		}
	}

	private static Inspection.ImageView migrated(String id) {
		return cloud.inspect()
			.images()
			.stream()
			.filter((i) -> ("DFW:" + id).equals(i.properties().get("image_ferry_source")))
			.findFirst()
			.orElseThrow();
	}

	private static long patches() {
		return cloud.inspect().requests().stream().filter((r) -> r.method().equals("PATCH")).count();
	}

	private static Path only(Path directory, String suffix) throws Exception {
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> found = files.filter((f) -> f.getFileName().toString().startsWith("run-"))
				.filter((f) -> f.toString().endsWith(suffix))
				.toList();
			assertThat(found).hasSize(1);
			return found.get(0);
		}
	}

	/** A sample's value from a Prometheus text exposition. */
	private static double sample(String exposition, String name, String label) {
		Matcher sample = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$")
			.matcher(exposition);
		assertThat(sample.find()).as("%s{%s} in%n%s", name, label, exposition).isTrue();
		return Double.parseDouble(sample.group(1));
	}

}

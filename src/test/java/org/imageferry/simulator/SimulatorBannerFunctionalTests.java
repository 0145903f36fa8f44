package org.imageferry.simulator;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.imageferry.ImageFerryApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/simulate}'s banner followed to the letter: an image seeded with its
 * {@code curl} body, then its command — {@code jobs/simulated.yml} with the
 * simulator-only credentials in the environment — run as an operator would, in a child
 * JVM from a directory holding the profile. The simulator runs on a free port, so the
 * banner's command carries the identity URL; on the default port the profile's own is the
 * one.
 */
class SimulatorBannerFunctionalTests {

	private static final Path PROFILE = Path.of("jobs", "simulated.yml");

	@TempDir
	Path dir;

	@Test
	void theProfileNamesTheSimulatorsDefaultIdentityUrlAndTheBannersRoute() throws Exception {
		// when
		Map<String, Object> profile;
		try (Reader in = Files.newBufferedReader(PROFILE)) {
			profile = map(new Yaml().<Map<String, Object>>load(in).get("image-ferry"));
		}

		// then
		assertThat(profile.get("identity-url")).isEqualTo(SimulatorMain.SIMULATED_PROFILE_IDENTITY)
			.isEqualTo("http://127.0.0.1:8777/v2.0");
		assertThat(map(profile.get("source")).get("region")).isEqualTo("DFW");
		assertThat(map(profile.get("target")).get("region")).isEqualTo("IAD");
		assertThat(profile).doesNotContainKey("credentials-file");
	}

	@Test
	void theBannersSeedAndRunCommandsMigrateAnImageWithJobsSimulatedYml() throws Exception {
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.port(0)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build())) {
			// given
			String banner = SimulatorMain.banner(cloud, "default", "");
			String seed = line(banner, "curl -X POST ");
			String run = line(banner, "scripts/migrate run ");
			Matcher body = Pattern.compile("-d '(\\{.*})'").matcher(seed);
			assertThat(body.find()).as(seed).isTrue();
			HttpResponse<String> seeded = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(cloud.adminUrl() + "/images"))
					.POST(HttpRequest.BodyPublishers.ofString(body.group(1)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(201);
			String image = new ObjectMapper().readTree(seeded.body()).path("id").asText();
			Files.copy(PROFILE, Files.createDirectories(this.dir.resolve("jobs")).resolve("simulated.yml"));
			Files.writeString(this.dir.resolve("images.csv"), "image_id\n" + image + "\n");

			// when
			Path log = this.dir.resolve("run.log");
			Process process = operator(run).redirectOutput(log.toFile()).start();

			// then
			assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
			String output = Files.readString(log);
			assertThat(process.exitValue()).as(output).isZero();
			assertThat(output).contains("1 migrated");
			assertThat(cloud.inspect().images()).anyMatch((i) -> i.region().equals("IAD") && i.name().equals("web-01"));
			assertThat(this.dir.resolve("data/simulated")).isDirectory();
			assertThat(this.dir.resolve("reports/simulated")).isDirectory();
		}
	}

	@Test
	void theBannerTellsHowToSeedImagesAndRunTheJobOnItsPort() throws Exception {
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder().port(0).build())) {
			// when
			String banner = SimulatorMain.banner(cloud, "default", "");

			// then
			assertThat(line(banner, "scripts/migrate run ")).contains("IMAGE_FERRY_IDENTITY_URL=" + cloud.identityUrl())
				.contains("RAX_USERNAME=alice RAX_API_KEY=alice-api-key");
			assertThat(banner).contains("--images N").contains("POST " + cloud.adminUrl() + "/images");
		}
	}

	/**
	 * The banner's command line ({@code NAME=value... scripts/migrate ARGS}) as a child
	 * JVM running the command line from the test classpath, in this test's directory.
	 */
	private ProcessBuilder operator(String commandLine) {
		List<String> words = Arrays.asList(commandLine.strip().split("\\s+"));
		int script = words.indexOf("scripts/migrate");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), ImageFerryApplication.class.getName()));
		command.addAll(words.subList(script + 1, words.size()));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile()).redirectErrorStream(true);
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_") || k.startsWith("IMAGE_FERRY_"));
		for (String assignment : words.subList(0, script)) {
			String[] pair = assignment.split("=", 2);
			builder.environment().put(pair[0], pair[1]);
		}
		return builder;
	}

	private static String line(String text, String containing) {
		return text.lines().filter((l) -> l.contains(containing)).findFirst().orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object yaml) {
		return (Map<String, Object>) yaml;
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.testsupport.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Cloud Files against {@code rclone} (Debian's, a Go client no one here
 * wrote, strict about formats): authentication through Identity v2.0 (its password
 * attempt refused, then Rackspace's API key), delimiter listings, uploads with
 * {@code X-Object-Meta-Mtime}, a file above rclone's chunk size stored as a Dynamic Large
 * Object, a copy from DFW to IAD through the client and a byte-for-byte check of both.
 * The cloud's clock stands on the 4th of a month: Go's {@code http.TimeFormat} rejects
 * the one-digit day {@code Fri, 4 Dec} in the {@code Last-Modified} of every HEAD.
 */
class RcloneInteropTests {

	private static final int KIB = 1024;

	private SimulatedCloud cloud;

	@TempDir
	Path dir;

	private Path config;

	@BeforeEach
	void startCloud() throws IOException {
		this.cloud = SimulatedCloud.start(SimulatorConfig.builder().clock(onTheFourth()).build());
		this.config = Files.writeString(this.dir.resolve("rclone.conf"), remote("dfw", "DFW") + remote("iad", "IAD"));
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	/**
	 * Noon on the 4th of next month, still advancing: a token the cloud issues then
	 * expires in the client's future, and a test running at midnight stays on the 4th.
	 */
	private static Clock onTheFourth() {
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		ZonedDateTime fourth = now.plusMonths(1).withDayOfMonth(4).with(LocalTime.NOON);
		return Clock.offset(Clock.systemUTC(), Duration.between(now, fourth));
	}

	/**
	 * A swift remote as alice in a region, files above 1 MiB uploaded in 1 MiB segments
	 * (a Dynamic Large Object in {@code <container>_segments}).
	 */
	private String remote(String name, String region) {
		return """
				[%s]
				type = swift
				auth = %s
				auth_version = 2
				user = %s
				key = alice-api-key
				tenant = %s
				region = %s
				chunk_size = 1Mi

				""".formatted(name, this.cloud.identityUrl(), InteropClients.ALICE, InteropClients.ALICE_TENANT,
				region);
	}

	/** Runs rclone with this test's configuration only, none of the environment's. */
	private ExternalTools.Result rclone(String... arguments) {
		Path rclone = ExternalTools.require("rclone");
		List<String> command = new ArrayList<>(List.of("--config", this.config.toString(), "--cache-dir",
				this.dir.resolve("cache").toString(), "--retries", "1", "--low-level-retries", "1"));
		command.addAll(Arrays.asList(arguments));
		return ExternalTools.run(rclone, List.of("RCLONE_"), command.toArray(String[]::new));
	}

	private String rcloneOk(String... arguments) {
		ExternalTools.Result result = rclone(arguments);
		assertThat(result.exitCode()).as("rclone %s: %s", String.join(" ", arguments), result.output()).isZero();
		return result.output();
	}

	@Test
	void aDirectoryCopiedFromDfwToIadThroughRcloneChecksIdenticalByteForByte() throws IOException {
		// given: files in and under a directory, one name beyond ASCII, one above
		// rclone's
		// chunk size
		Path local = Files.createDirectories(this.dir.resolve("local"));
		Map<String, Integer> files = new TreeMap<>(Map.of("a.txt", 6, "sub/b.bin", 300 * KIB, "sub/deeper/c.txt", 1,
				"sub/\u00fcber.txt", 20, "large.img", 2500 * KIB));
		for (Map.Entry<String, Integer> file : files.entrySet()) {
			Path path = local.resolve(file.getKey());
			Files.createDirectories(path.getParent());
			byte[] bytes = new byte[file.getValue()];
			new Random(file.getValue()).nextBytes(bytes);
			Files.write(path, bytes);
		}
		rcloneOk("copy", local.toString(), "dfw:images/dir");

		// when
		JsonNode top = InteropClients.json(rcloneOk("lsjson", "dfw:images/dir"));
		JsonNode all = InteropClients.json(rcloneOk("lsjson", "-R", "--files-only", "dfw:images"));
		JsonNode serverTimes = InteropClients
			.json(rcloneOk("lsjson", "-R", "--files-only", "--use-server-modtime", "dfw:images"));
		rcloneOk("copy", "dfw:images", "iad:images");
		String check = rcloneOk("check", "--download", "dfw:images", "iad:images");

		// then: the top level is folded by delimiter, directories as subdirs
		assertThat(top.findValuesAsText("Path")).containsExactlyInAnyOrder("a.txt", "large.img", "sub");
		Map<String, Long> sizes = new TreeMap<>();
		all.forEach((f) -> sizes.put(f.path("Path").asText(), f.path("Size").asLong()));
		Map<String, Long> expected = new TreeMap<>();
		files.forEach((name, size) -> expected.put("dir/" + name, size.longValue()));
		assertThat(sizes).isEqualTo(expected);
		assertThat(serverTimes.findValuesAsText("ModTime"))
			.allSatisfy((t) -> assertThat(Instant.parse(t).atZone(ZoneOffset.UTC).getDayOfMonth()).isEqualTo(4));
		assertThat(check).contains("0 differences found").contains(files.size() + " matching files");
		assertThat(this.cloud.inspect().objects("IAD", InteropClients.ALICE_TENANT))
			.filteredOn((o) -> o.name().equals("dir/large.img"))
			.singleElement()
			.satisfies((o) -> assertThat(o.dloManifest()).startsWith("images_segments/"));
		for (String name : files.keySet()) {
			assertThat(this.cloud.inspect().md5("IAD", InteropClients.ALICE_TENANT, "images", "dir/" + name)).as(name)
				.isEqualTo(InteropClients.md5(local.resolve(name)));
		}
	}

}

package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * The bandwidth cap held by a real run: one image, sized for about 30 s of copying at the
 * cap, moved from DFW to IAD on loopback by the jar (a child process, as an operator runs
 * it) with {@code bandwidth-limit} set, two images' worth of copy threads sharing it
 * ({@code segment-concurrency: 2}). The rate is the image's bytes over its transfer's
 * time as the run's JSON report records it (listings, VHD check, copies, manifest), and
 * that report must name the cap in force.
 * <p>
 * Arguments (or environment): the cap in MiB/s ({@code BENCH_BANDWIDTH_CAP}, default 100)
 * and the seconds of copying ({@code BENCH_BANDWIDTH_SECONDS}, default 30). Run from the
 * project directory after {@code mvn -o -DskipTests package}; prints a markdown table row
 * and exits 1 when measured / cap is not 1.00 ± 0.05.
 */
public final class BandwidthBench {

	private static final String TENANT = "100001";

	private static final long MIB = 1024 * 1024;

	private BandwidthBench() {
	}

	public static void main(String[] args) throws Exception {
		long cap = Long.parseLong(arg(args, 0, "BENCH_BANDWIDTH_CAP", "100"));
		long seconds = Long.parseLong(arg(args, 1, "BENCH_BANDWIDTH_SECONDS", "30"));
		Path jar = Path.of("target/image-ferry.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it first (mvn -B -q -o -DskipTests package)");
		}
		long size = cap * MIB * seconds / 512 * 512;
		Path dir = Files.createTempDirectory("bench-bandwidth-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.segmentSize(256 * MIB)
			.importSizeLimit(Math.max(40 * SimulatorConfig.GIB, 2 * size))
			.build())) {
			String id = cloud.addImage(ImageSeed.of("DFW", TENANT, "bench-bandwidth", SyntheticVhd.fixed(size, 1)));
			JsonNode run = run(cloud, dir, jar, id, cap);
			JsonNode image = run.path("images").path(0);
			double took = Duration
				.between(Instant.parse(image.path("transfer_started_at").asText()),
						Instant.parse(image.path("transfer_ended_at").asText()))
				.toNanos() / 1e9;
			double rate = image.path("bytes").asDouble() / MIB / took;
			double ratio = rate / cap;
			long inForce = run.path("run").path("bandwidth_limit").path("in_force_bytes_per_second").asLong();
			boolean met = Math.abs(ratio - 1) <= 0.05 && inForce == cap * MIB;
			System.out.println(String.format(Locale.ROOT,
					"# %.0f MiB in %.1f s of transfer: %.1f MiB/s; the report's cap in force: %d bytes/s",
					image.path("bytes").asDouble() / MIB, took, rate, inForce));
			System.out.println(String.format(Locale.ROOT,
					"| bandwidth | measured / cap over %.0f s of copying (bandwidth-limit: %dMB/s, %.1f MiB/s measured) "
							+ "| %.3f | 1.00 ± 0.05 | %s |",
					took, cap, rate, ratio, met ? "ok" : "FAIL"));
			System.exit(met ? 0 : 1);
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
	}

	/** The jar's {@code run} of the one image; answers its JSON report. */
	private static JsonNode run(SimulatedCloud cloud, Path dir, Path jar, String id, long cap) throws Exception {
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=alice\napi-key=alice-api-key\n");
		Path manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + id + "\n");
		Path home = dir.resolve("home");
		Path job = JobProfile.write(dir.resolve("bench.yml"), cloud.identityUrl(), home, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 2s
				progress-interval: 1h
				segment-concurrency: 2
				bandwidth-limit: %dMB/s
				""".formatted(credentials, cap));
		List<String> command = new ArrayList<>(List.of("java"));
		command.addAll(TransferBench.javaOptions());
		command
			.addAll(List.of("-jar", jar.toString(), "run", "--job", job.toString(), "--manifest", manifest.toString()));
		Path log = dir.resolve("image-ferry.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_") || k.startsWith("IMAGE_FERRY_"));
		int code = builder.start().waitFor();
		if (code != 0) {
			throw new IllegalStateException("image-ferry exited " + code + ":\n" + Files.readString(log));
		}
		try (Stream<Path> files = Files.list(home.resolve("reports"))) {
			Path report = files.filter((p) -> p.getFileName().toString().matches("run-.*\\.json"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no JSON report"));
			JsonNode json = new ObjectMapper().readTree(report.toFile());
			if (!"migrated".equals(json.path("images").path(0).path("outcome").asText())) {
				throw new IllegalStateException("the image was not migrated: " + json.path("images").path(0));
			}
			return json;
		}
	}

	private static String arg(String[] args, int i, String env, String fallback) {
		if (args.length > i) {
			return args[i];
		}
		String value = System.getenv(env);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}

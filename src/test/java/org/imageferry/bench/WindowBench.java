package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * How soon a run stops once its window closes: the jar (a child process, as cron starts
 * it) runs {@code run --until HH:MM} (the first full minute at least 30 s away) on an
 * image far larger than the time left lets it copy, at a bandwidth cap; from the deadline
 * the copies finish the segment they are copying, and the process exits 3. The time from
 * the deadline to the exit must be at most one poll interval plus one segment at the
 * capped rate (a cycle notices the end within a poll; each copy then ends its segment).
 * <p>
 * Run from the project directory after {@code mvn -o -DskipTests package}; prints a
 * markdown table row and exits 1 when the goal is missed.
 */
public final class WindowBench {

	private static final long MIB = 1024 * 1024;

	private static final int CAP_MB = 20;

	private static final int SEGMENT_MIB = 32;

	private static final Duration POLL = Duration.ofSeconds(2);

	private WindowBench() {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of("target/image-ferry.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it first (mvn -B -q -o -DskipTests package)");
		}
		ZoneId zone = ZoneId.systemDefault();
		LocalDateTime until = LocalDateTime.now(zone).plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
		Instant deadline = until.atZone(zone).toInstant();
		// copying for a minute and a half past the deadline, were it not stopped
		long seconds = Duration.between(Instant.now(), deadline).toSeconds() + 90;
		long size = CAP_MB * MIB * seconds / 512 * 512;
		Path dir = Files.createTempDirectory("bench-window-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.segmentSize(SEGMENT_MIB * MIB)
			.importSizeLimit(Math.max(40 * SimulatorConfig.GIB, 2 * size))
			.build())) {
			String id = cloud.addImage(ImageSeed.of("DFW", "100001", "bench-window", SyntheticVhd.fixed(size, 1)));
			Path log = dir.resolve("image-ferry.log");
			Process process = start(cloud, dir, jar, id, until, log);
			int code = process.waitFor();
			Instant exited = Instant.now();
			if (code != 3) {
				throw new IllegalStateException("image-ferry exited " + code + ", not 3:\n" + Files.readString(log));
			}
			double measured = Duration.between(deadline, exited).toNanos() / 1e9;
			double goal = POLL.toNanos() / 1e9 + (double) SEGMENT_MIB * MIB / (CAP_MB * MIB);
			boolean met = measured <= goal;
			System.out.println(String.format(Locale.ROOT,
					"| window | deadline (run --until %s) to process exit, a copy under way (poll-interval %d s, "
							+ "%d MiB segments at bandwidth-limit %dMB/s) | %.1f s | ≤ %.1f s | %s |",
					until.toLocalTime(), POLL.toSeconds(), SEGMENT_MIB, CAP_MB, measured, goal, met ? "ok" : "FAIL"));
			System.exit(met ? 0 : 1);
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
	}

	private static Process start(SimulatedCloud cloud, Path dir, Path jar, String id, LocalDateTime until, Path log)
			throws Exception {
		Path credentials = JobProfile.credentials(dir.resolve("credentials"),
				"username=alice\napi-key=alice-api-key\n");
		Path manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + id + "\n");
		Path job = JobProfile.write(dir.resolve("bench.yml"), cloud.identityUrl(), dir.resolve("home"), """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: %ds
				progress-interval: 1h
				segment-concurrency: 2
				bandwidth-limit: %dMB/s
				window: { drain: 10s }
				""".formatted(credentials, POLL.toSeconds(), CAP_MB));
		List<String> command = new ArrayList<>(List.of("java"));
		command.addAll(TransferBench.javaOptions());
		command.addAll(List.of("-jar", jar.toString(), "run", "--job", job.toString(), "--manifest",
				manifest.toString(), "--until", until.toLocalTime().toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_") || k.startsWith("IMAGE_FERRY_"));
		return builder.start();
	}

}

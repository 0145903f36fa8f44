package org.imageferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * How long each command takes to answer, as an operator starts it:
 * {@code scripts/migrate} in a child process (the jar, the JVM options of
 * {@code scripts/lib.sh} and its class data sharing archive), against the simulated cloud
 * in this process. Per command: the time to its first byte of output (standard output or
 * error) and to its exit, the median of several starts after one unmeasured start (which
 * builds the archive when it is missing).
 * <ul>
 * <li>{@code --help}: no profile, no Spring;</li>
 * <li>{@code run} refusing an empty manifest: refused before the application context
 * starts;</li>
 * <li>{@code status} of a run of 4 images (made before, unmeasured);</li>
 * <li>{@code run --dry-run} of those 4 images: the context, identity and the source
 * region's pre-flight.</li>
 * </ul>
 * Argument (or {@code BENCH_STARTUP_RUNS}): starts measured per command (default 5).
 * {@code BENCH_STARTUP_COMMAND} replaces {@code scripts/migrate} (split on spaces), e.g.
 * {@code java -XX:+UseSerialGC -Xms32m -Xmx256m -jar target/image-ferry.jar} for the jar
 * as it started before the archive. Run from the project directory after
 * {@code mvn -o -DskipTests package}; prints markdown table rows and exits 1 when a goal
 * is missed.
 */
public final class StartupBench {

	private static final int IMAGES = 4;

	/** Refused before Spring starts: the JVM and a file read. */
	private static final double REFUSAL_GOAL = 1.0;

	private final List<String> rows = new ArrayList<>();

	private boolean failed;

	private StartupBench() {
	}

	public static void main(String[] args) throws Exception {
		int runs = Integer
			.parseInt((args.length > 0) ? args[0] : System.getenv().getOrDefault("BENCH_STARTUP_RUNS", "5"));
		StartupBench bench = new StartupBench();
		bench.run(runs);
		bench.rows.forEach(System.out::println);
		System.exit(bench.failed ? 1 : 0);
	}

	private void run(int runs) throws Exception {
		Path dir = Files.createTempDirectory("bench-startup-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(Duration.ofMillis(50), Duration.ofMillis(50))
			.segmentSize(1024 * 1024)
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < IMAGES; i++) {
				ids.add(cloud
					.addImage(ImageSeed.of("DFW", "100001", "startup-" + i, SyntheticVhd.fixed(64 * 1024, i))));
			}
			Path credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			String job = JobProfile.write(dir.resolve("startup.yml"), cloud.identityUrl(), dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					poll-interval: 50ms
					progress-interval: 1h
					""".formatted(credentials)).toString();
			String manifest = Files.writeString(dir.resolve("small.csv"), "image_id\n" + String.join("\n", ids) + "\n")
				.toString();
			String empty = Files.writeString(dir.resolve("empty.csv"), "").toString();
			Started migrated = start("run", "--job", job, "--manifest", manifest);
			if (migrated.code() != 0) {
				throw new IllegalStateException(
						"the run to show in status exited " + migrated.code() + ":\n" + migrated.output());
			}
			measure(runs, "--help", 0, 0.5, "--help");
			measure(runs, "run refusing an empty manifest", 65, REFUSAL_GOAL, "run", "--job", job, "--manifest", empty);
			measure(runs, "status of a run of " + IMAGES + " images", 0, Double.NaN, "status", "--job", job);
			measure(runs, "run --dry-run of " + IMAGES + " images (simulator)", 0, Double.NaN, "run", "--job", job,
					"--manifest", manifest, "--dry-run");
		}
	}

	/** Starts the command once unmeasured, then {@code runs} times; rows of medians. */
	private void measure(int runs, String what, int expected, double goal, String... args) throws Exception {
		start(args);
		double[] first = new double[runs];
		double[] exit = new double[runs];
		for (int i = 0; i < runs; i++) {
			Started started = start(args);
			if (started.code() != expected) {
				throw new IllegalStateException(
						what + " exited " + started.code() + ", not " + expected + ":\n" + started.output());
			}
			first[i] = started.firstOutput();
			exit[i] = started.exit();
		}
		row(what + ": to first output", seconds(median(first)), "", "");
		boolean met = Double.isNaN(goal) || median(exit) <= goal;
		this.failed |= !met;
		row(what + ": to exit (" + runs + " starts, median; min " + seconds(Arrays.stream(exit).min().orElse(0)) + ")",
				seconds(median(exit)), Double.isNaN(goal) ? "" : "≤ " + seconds(goal),
				Double.isNaN(goal) ? "" : (met ? "ok" : "FAIL"));
	}

	/** {@code scripts/migrate} with the arguments, its output read as it comes. */
	private static Started start(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(System.getenv().getOrDefault("BENCH_STARTUP_COMMAND", "scripts/migrate").split(" ")));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
		long started = System.nanoTime();
		Process process = builder.start();
		long first = 0;
		StringBuilder output = new StringBuilder();
		try (InputStream in = process.getInputStream()) {
			byte[] buffer = new byte[8192];
			int n;
			while ((n = in.read(buffer)) > 0) {
				if (first == 0) {
					first = System.nanoTime();
				}
				output.append(new String(buffer, 0, n));
			}
		}
		int code = process.waitFor();
		long ended = System.nanoTime();
		return new Started(code, ((first != 0) ? first - started : ended - started) / 1e9, (ended - started) / 1e9,
				output.toString());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	private static String seconds(double value) {
		return String.format(Locale.ROOT, "%.2f s", value);
	}

	private void row(String measure, String value, String goal, String verdict) {
		this.rows.add("| startup | %s | %s | %s | %s |".formatted(measure, value, goal, verdict));
	}

	private record Started(int code, double firstOutput, double exit, String output) {
	}

}

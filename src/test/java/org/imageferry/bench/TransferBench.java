package org.imageferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Inspection.ObjectView;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * Transfer throughput: one image exported in DFW and moved to IAD on loopback by
 * image-ferry — the real jar, in a child process under {@code /usr/bin/time -v} — then
 * the same exported object moved between the same two endpoints by {@code rclone copy},
 * by python-swiftclient ({@code swift download} to a file, then {@code swift upload
 * --segment-size}) and by a {@code curl GET | curl PUT} relay of each segment. Each
 * contender writes into fresh containers, and each copy is checked against the source:
 * the same segment MD5s (as the simulator computed them on receipt), in order, and the
 * same length.
 * <p>
 * image-ferry's time is the one its run records — the transfer's start and end in the
 * ledger, as the JSON report shows them: listings, VHD check, segment copies with their
 * MD5 checks, the target manifest and its verification; not the JVM's start, the export
 * or the import. The others are timed from their command's start to its end. Its peak RSS
 * is {@code /usr/bin/time}'s "Maximum resident set size" (MB = 10⁶ bytes).
 * <p>
 * Everything shares two cores (the simulator runs in this JVM), so another process busy
 * at the same time skews the ratios: each attempt waits up to half a minute for the
 * machine to be quiet, its window is checked against {@code /proc/stat}, and one during
 * which other processes used more than a tenth of the machine is run again (up to three
 * times, fresh containers each time, image-ferry with {@code --force}). The fastest
 * attempt counts; every attempt is printed, and a row whose measurement stayed disturbed
 * says so.
 * <p>
 * Arguments (or environment): the image's size ({@code BENCH_TRANSFER_SIZE}, default
 * {@code 8GiB}) and the segment size ({@code BENCH_TRANSFER_SEGMENT}, default Rackspace's
 * 1048576000). {@code BENCH_TRANSFER_BASELINES} picks baselines (default
 * {@code rclone,swift,curl}); {@code BENCH_TRANSFER_JOB_LOG} keeps the job's output. The
 * job's JVM options are those {@code scripts/migrate} uses ({@code scripts/lib.sh};
 * {@code IMAGE_FERRY_JAVA_OPTS} overrides both). Run from the project directory after
 * {@code mvn -o -DskipTests package}; prints markdown table rows and exits 1 when a goal
 * is missed.
 */
public final class TransferBench {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String TENANT = "100001";

	private static final double MIB = 1024 * 1024;

	private static final int ATTEMPTS = 3;

	/** Share of the machine other processes may use during a measurement. */
	private static final double QUIET = 0.10;

	private final List<String> rows = new ArrayList<>();

	private final List<String> baselines = List
		.of(System.getenv().getOrDefault("BENCH_TRANSFER_BASELINES", "rclone,swift,curl").split(","));

	private boolean failed;

	private TransferBench() {
	}

	public static void main(String[] args) throws Exception {
		long size = parseSize(arg(args, 0, "BENCH_TRANSFER_SIZE", "8GiB")) / 512 * 512;
		long segment = parseSize(arg(args, 1, "BENCH_TRANSFER_SEGMENT", Long.toString(1_048_576_000L)));
		TransferBench bench = new TransferBench();
		bench.run(size, segment);
		bench.rows.forEach(System.out::println);
		System.exit(bench.failed ? 1 : 0);
	}

	private void run(long size, long segmentSize) throws Exception {
		Path jar = Path.of("target/image-ferry.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it first (mvn -B -q -o -DskipTests package)");
		}
		for (String tool : List.of("/usr/bin/time", "/usr/bin/rclone", "/usr/bin/swift", "/usr/bin/curl")) {
			if (!Files.isExecutable(Path.of(tool))) {
				throw new IllegalStateException(
						tool + " is missing (apt-get install time rclone python3-swiftclient curl)");
			}
		}
		List<String> javaOptions = javaOptions();
		Path dir = Files.createTempDirectory("bench-transfer-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.segmentSize(segmentSize)
			.importSizeLimit(Math.max(40 * SimulatorConfig.GIB, 2 * size))
			.build())) {
			String id = cloud.addImage(ImageSeed.of("DFW", TENANT, "bench-transfer", SyntheticVhd.fixed(size, 1)));
			Job job = new Job(cloud, dir, jar, javaOptions, id);
			Measured<Ferry> measuredFerry = measured("image-ferry", (attempt) -> job.run(attempt));
			Ferry ferry = measuredFerry.result();
			Inspection inspection = cloud.inspect();
			List<ObjectView> source = segments(inspection, "DFW", "exports", id + ".vhd-");
			ObjectView manifest = object(inspection, "DFW", "exports", id + ".vhd");
			long bytes = manifest.bytes();
			double ferryRate = bytes / MIB / ferry.seconds();
			row("image-ferry %s in %d segments (MD5 checked)%s".formatted(gib(bytes), source.size(),
					measuredFerry.note()), mibps(ferryRate), "—", "");
			info("image-ferry: %.1f s transfer; job process %.1f s CPU over %.1f s, JVM options: %s", ferry.seconds(),
					ferry.cpu(), ferry.wall(), String.join(" ", javaOptions));

			String token = token(cloud);
			Endpoints at = new Endpoints(token, cloud.filesUrl("DFW", TENANT, false),
					cloud.filesUrl("IAD", TENANT, false));
			warmUp(at, source.get(0));
			if (this.baselines.contains("rclone")) {
				Measured<Timed> rclone = measured("rclone", (attempt) -> {
					String container = "rclone-copy-" + attempt;
					Timed timed = time(bytes, () -> rclone(dir, at, id, container, segmentSize));
					verify("rclone", source, segments(cloud.inspect(), "IAD", container + "_segments", id + ".vhd/"),
							object(cloud.inspect(), "IAD", container, id + ".vhd"), manifest);
					return timed;
				});
				compare("rclone copy --swift-chunk-size %dB".formatted(segmentSize), bytes, rclone, ferryRate, 1.0);
			}
			if (this.baselines.contains("swift")) {
				Measured<Timed> swift = measured("swift", (attempt) -> {
					String container = "swift-upload-" + attempt;
					Timed timed = time(bytes, () -> swift(dir, at, id, container, segmentSize));
					verify("swift", source, segments(cloud.inspect(), "IAD", container + "_segments", id + ".vhd/"),
							object(cloud.inspect(), "IAD", container, id + ".vhd"), manifest);
					return timed;
				});
				compare("swift download + upload --segment-size %d".formatted(segmentSize), bytes, swift, ferryRate,
						2.0);
			}
			if (this.baselines.contains("curl")) {
				Measured<Timed> relay = measured("curl", (attempt) -> {
					String container = "curl-relay-" + attempt;
					Timed timed = time(bytes, () -> curlRelay(at, id, container, source));
					verify("curl", source, segments(cloud.inspect(), "IAD", container, id + ".vhd-"),
							object(cloud.inspect(), "IAD", container, id + ".vhd"), manifest);
					return timed;
				});
				compare("curl GET \\| curl PUT relay", bytes, relay, ferryRate, 0.9);
			}
			double rssMb = ferry.maxRssKib() * 1024 / 1e6;
			row("peak RSS of the job process", "%.0f MB".formatted(rssMb), "≤ 256 MB", ok(rssMb <= 256));
		}
		finally {
			delete(dir);
		}
	}

	/** The job's JVM options, exactly as {@code scripts/migrate} passes them. */
	static List<String> javaOptions() throws IOException, InterruptedException {
		Process shell = new ProcessBuilder("bash", "-c", "source scripts/lib.sh && printf '%s\\n' \"${java_opts[@]}\"")
			.redirectErrorStream(true)
			.start();
		String out = new String(shell.getInputStream().readAllBytes());
		if (shell.waitFor() != 0) {
			throw new IllegalStateException("sourcing scripts/lib.sh failed: " + out);
		}
		return out.lines().filter((l) -> !l.isBlank()).toList();
	}

	/**
	 * Runs {@code attempt} until one is undisturbed (at most {@value #ATTEMPTS} times,
	 * each after waiting up to half a minute for the machine to be quiet); the fastest
	 * counts, marked when other processes disturbed it too.
	 */
	private static <T extends Rated> Measured<T> measured(String who, Attempt<T> attempt) throws Exception {
		Measured<T> best = null;
		for (int i = 1; i <= ATTEMPTS; i++) {
			awaitQuiet(Duration.ofSeconds(30));
			Machine before = Machine.now();
			T result = attempt.run(i);
			double others = before.othersShareSince();
			info("%s, attempt %d: %.0f MiB/s; other processes used %.0f%% of the machine meanwhile", who, i,
					result.rate(), 100 * others);
			if (best == null || result.rate() > best.result().rate()) {
				best = new Measured<>(result, others);
			}
			if (others <= QUIET) {
				break;
			}
		}
		return best;
	}

	/**
	 * Waits until other processes use at most {@link #QUIET} of the machine, or gives up.
	 */
	private static void awaitQuiet(Duration patience) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + patience.toNanos();
		while (System.nanoTime() < deadline) {
			Machine before = Machine.now();
			Thread.sleep(2000);
			if (before.othersShareSince() <= QUIET) {
				return;
			}
		}
	}

	/** image-ferry's command line in a child JVM, as an operator runs it. */
	private static final class Job {

		private final SimulatedCloud cloud;

		private final Path dir;

		private final Path jar;

		private final List<String> javaOptions;

		private final String id;

		private final Path credentials;

		private final Path manifest;

		Job(SimulatedCloud cloud, Path dir, Path jar, List<String> javaOptions, String id) throws IOException {
			this.cloud = cloud;
			this.dir = dir;
			this.jar = jar;
			this.javaOptions = javaOptions;
			this.id = id;
			this.credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			this.manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + id + "\n");
		}

		/**
		 * A run with its own data directory and target container; the export the first
		 * run made stays in DFW ({@code cleanup: NONE}) for the baselines, and later
		 * attempts adopt it ({@code --force}: the image is already migrated).
		 */
		Ferry run(int attempt) throws Exception {
			Path home = this.dir.resolve("attempt-" + attempt);
			Path reports = home.resolve("reports");
			String container = "imports-" + attempt;
			Path job = JobProfile.write(this.dir.resolve("bench-" + attempt + ".yml"), this.cloud.identityUrl(), home,
					"""
							credentials-file: %s
							source: { region: DFW, container: exports }
							target: { region: IAD, container: %s }
							poll-interval: 2s
							progress-interval: 1h
							cleanup: NONE
							""".formatted(this.credentials, container));
			List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", "java"));
			command.addAll(this.javaOptions);
			command.addAll(List.of("-jar", this.jar.toString(), "run", "--job", job.toString(), "--manifest",
					this.manifest.toString()));
			if (attempt > 1) {
				command.add("--force");
			}
			Path log = this.dir.resolve("image-ferry-" + attempt + ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_") || k.startsWith("IMAGE_FERRY_"));
			int code = builder.start().waitFor();
			String output = Files.readString(log);
			if (System.getenv("BENCH_TRANSFER_JOB_LOG") != null) {
				Files.copy(log, Path.of(System.getenv("BENCH_TRANSFER_JOB_LOG")), StandardCopyOption.REPLACE_EXISTING);
			}
			if (code != 0) {
				throw new IllegalStateException("image-ferry exited " + code + ":\n" + output);
			}
			JsonNode image = JSON.readTree(report(reports).toFile()).path("images").path(0);
			if (!"migrated".equals(image.path("outcome").asText())) {
				throw new IllegalStateException("the image was not migrated: " + image);
			}
			Inspection inspection = this.cloud.inspect();
			verify("image-ferry", segments(inspection, "DFW", "exports", this.id + ".vhd-"),
					segments(inspection, "IAD", container, this.id + ".vhd-"),
					object(inspection, "IAD", container, this.id + ".vhd"),
					object(inspection, "DFW", "exports", this.id + ".vhd"));
			Instant started = Instant.parse(image.path("transfer_started_at").asText());
			Instant ended = Instant.parse(image.path("transfer_ended_at").asText());
			double seconds = Duration.between(started, ended).toNanos() / 1e9;
			double bytes = object(inspection, "DFW", "exports", this.id + ".vhd").bytes();
			return new Ferry(seconds, bytes / MIB / seconds,
					timeValue(output, "Maximum resident set size \\(kbytes\\)"),
					timeValue(output, "User time \\(seconds\\)") + timeValue(output, "System time \\(seconds\\)"),
					wallSeconds(output));
		}

		private static Path report(Path reports) throws IOException {
			try (Stream<Path> files = Files.list(reports)) {
				return files.filter((p) -> p.getFileName().toString().matches("run-.*\\.json"))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("no JSON report in " + reports));
			}
		}

	}

	/**
	 * A relay of the first segment into a throw-away container, so that the simulator's
	 * request paths are compiled before the baselines are timed (image-ferry's run warmed
	 * them for itself).
	 */
	private static void warmUp(Endpoints at, ObjectView segment) throws IOException, InterruptedException {
		container(at, "warm-up");
		exec(List.of("bash", "-c", relay(at, "exports/" + segment.name(), "warm-up/" + segment.name(), segment)),
				Map.of());
	}

	/**
	 * {@code rclone copy} of the DLO between two remotes configured from the environment
	 * (storage URL and token: no identity round trip), in segments of the same size.
	 */
	private static void rclone(Path dir, Endpoints at, String id, String container, long segmentSize)
			throws IOException, InterruptedException {
		Map<String, String> env = Map.of("RCLONE_CONFIG", dir.resolve("rclone.conf").toString(),
				"RCLONE_CONFIG_SRC_TYPE", "swift", "RCLONE_CONFIG_SRC_STORAGE_URL", at.from(),
				"RCLONE_CONFIG_SRC_AUTH_TOKEN", at.token(), "RCLONE_CONFIG_DST_TYPE", "swift",
				"RCLONE_CONFIG_DST_STORAGE_URL", at.to(), "RCLONE_CONFIG_DST_AUTH_TOKEN", at.token());
		// the same segment size, so the copy is a DLO of the same segments (the default,
		// 5
		// GiB, would make fewer, larger ones); rclone reads a size without a suffix as
		// KiB
		exec(List.of("/usr/bin/rclone", "copy", "-q", "--swift-chunk-size", segmentSize + "B",
				"src:exports/" + id + ".vhd", "dst:" + container), env);
	}

	/**
	 * {@code swift download} to a file, then {@code swift upload} of it, file deleted.
	 */
	private static void swift(Path dir, Endpoints at, String id, String container, long segmentSize)
			throws IOException, InterruptedException {
		Path file = dir.resolve("swift-download.vhd");
		try {
			exec(List.of("/usr/bin/swift", "-q", "--os-auth-token", at.token(), "--os-storage-url", at.from(),
					"download", "exports", id + ".vhd", "-o", file.toString()), Map.of());
			exec(List.of("/usr/bin/swift", "-q", "--os-auth-token", at.token(), "--os-storage-url", at.to(), "upload",
					"--segment-size", Long.toString(segmentSize), "--object-name", id + ".vhd", container,
					file.toString()), Map.of());
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	/** Each segment relayed in turn, then the manifest. */
	private static void curlRelay(Endpoints at, String id, String container, List<ObjectView> segments)
			throws IOException, InterruptedException {
		container(at, container);
		for (ObjectView segment : segments) {
			exec(List.of("bash", "-c",
					relay(at, "exports/" + segment.name(), container + "/" + segment.name(), segment)), Map.of());
		}
		exec(List.of("/usr/bin/curl", "-sS", "-f", "-o", "/dev/null", "-X", "PUT", "-H", "X-Auth-Token: " + at.token(),
				"-H", "X-Object-Manifest: " + container + "/" + id + ".vhd-", "-H", "Content-Length: 0",
				at.to() + "/" + container + "/" + id + ".vhd"), Map.of());
	}

	/**
	 * {@code curl GET | curl PUT} of one object, the PUT with its length (not chunked, no
	 * 100-continue round trip) and the source MD5 as {@code ETag}, so the server checks
	 * the body.
	 */
	private static String relay(Endpoints at, String from, String to, ObjectView segment) {
		return "set -o pipefail; /usr/bin/curl -sS -f -H 'X-Auth-Token: " + at.token() + "' '" + at.from() + "/" + from
				+ "' | /usr/bin/curl -sS -f -o /dev/null -X PUT -T - -H 'X-Auth-Token: " + at.token()
				+ "' -H 'Transfer-Encoding:' -H 'Expect:' -H 'Content-Length: " + segment.bytes() + "' -H 'ETag: "
				+ segment.etag() + "' -H 'Content-Type: application/octet-stream' '" + at.to() + "/" + to + "'";
	}

	private static void container(Endpoints at, String name) throws IOException, InterruptedException {
		exec(List.of("/usr/bin/curl", "-sS", "-f", "-o", "/dev/null", "-X", "PUT", "-H", "X-Auth-Token: " + at.token(),
				at.to() + "/" + name), Map.of());
	}

	private static void exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes());
		int code = process.waitFor();
		if (code != 0) {
			throw new IllegalStateException(command.get(0) + " exited " + code + ": " + out);
		}
	}

	private static Timed time(long bytes, Step step) throws Exception {
		long started = System.nanoTime();
		step.run();
		double seconds = (System.nanoTime() - started) / 1e9;
		return new Timed(seconds, bytes / MIB / seconds);
	}

	private void compare(String what, long bytes, Measured<Timed> baseline, double ferryRate, double goal) {
		double rate = bytes / MIB / baseline.result().seconds();
		double ratio = ferryRate / rate;
		String goalText = (goal >= 2) ? "%.0f".formatted(goal) : "%.1f".formatted(goal);
		row("vs %s (%s)%s".formatted(what, mibps(rate), baseline.note()), "%.2f×".formatted(ratio),
				"≥ %s×".formatted(goalText), ok(ratio >= goal));
	}

	private static void verify(String who, List<ObjectView> source, List<ObjectView> copied, ObjectView manifest,
			ObjectView sourceManifest) {
		List<String> expected = source.stream().map((o) -> o.bytes() + ":" + o.etag()).toList();
		List<String> got = copied.stream().map((o) -> o.bytes() + ":" + o.etag()).toList();
		if (!expected.equals(got)) {
			throw new IllegalStateException(
					who + "'s copy differs from the source: segments " + got + ", expected " + expected);
		}
		if (manifest.bytes() != sourceManifest.bytes() || manifest.dloManifest() == null) {
			throw new IllegalStateException(who + "'s copy reads as " + manifest + ", expected " + sourceManifest);
		}
	}

	private static List<ObjectView> segments(Inspection inspection, String region, String container, String prefix) {
		return inspection.objects(region, TENANT)
			.stream()
			.filter((o) -> o.container().equals(container) && o.name().startsWith(prefix))
			.sorted(Comparator.comparing(ObjectView::name))
			.toList();
	}

	private static ObjectView object(Inspection inspection, String region, String container, String name) {
		return inspection.objects(region, TENANT)
			.stream()
			.filter((o) -> o.container().equals(container) && o.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no " + container + "/" + name + " in " + region));
	}

	private static String token(SimulatedCloud cloud) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(cloud.identityUrl() + "/tokens"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"alice-api-key\"}}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body()).path("access").path("token").path("id").asText();
	}

	private void row(String measure, String value, String goal, String verdict) {
		this.rows.add("| transfer | %s | %s | %s | %s |".formatted(measure, value, goal, verdict));
	}

	private String ok(boolean met) {
		this.failed |= !met;
		return met ? "ok" : "FAIL";
	}

	private static void info(String format, Object... args) {
		System.out.println("# " + String.format(Locale.ROOT, format, args));
	}

	private static String mibps(double rate) {
		return String.format(Locale.ROOT, "%.0f MiB/s", rate);
	}

	private static String gib(long bytes) {
		return String.format(Locale.ROOT, "%.1f GiB", bytes / (MIB * 1024));
	}

	private static double timeValue(String output, String label) {
		Matcher m = Pattern.compile(label + ":\\s*([0-9.]+)").matcher(output);
		if (!m.find()) {
			throw new IllegalStateException("no '" + label + "' in /usr/bin/time's output:\n" + output);
		}
		return Double.parseDouble(m.group(1));
	}

	/** {@code Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03}. */
	private static double wallSeconds(String output) {
		Matcher m = Pattern.compile("Elapsed \\(wall clock\\) time \\([^)]*\\):\\s*([0-9:.]+)").matcher(output);
		if (!m.find()) {
			return Double.NaN;
		}
		double seconds = 0;
		for (String part : m.group(1).split(":")) {
			seconds = seconds * 60 + Double.parseDouble(part);
		}
		return seconds;
	}

	static long parseSize(String text) {
		Matcher m = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(|b|kib|mib|gib|k|m|g)\\s*").matcher(text);
		if (!m.matches()) {
			throw new IllegalArgumentException("not a size: " + text + " (e.g. 8GiB, 512MiB, 1048576000)");
		}
		long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
			case "k", "kib" -> 1024L;
			case "m", "mib" -> 1024L * 1024;
			case "g", "gib" -> 1024L * 1024 * 1024;
			default -> 1;
		};
		return (long) (Double.parseDouble(m.group(1)) * unit);
	}

	private static String arg(String[] args, int i, String env, String fallback) {
		if (args.length > i) {
			return args[i];
		}
		String value = System.getenv(env);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private static void delete(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
	}

	/**
	 * CPU time used by the whole machine and by this process with its finished children
	 * (the simulator, and every contender once waited for), in clock ticks (USER_HZ,
	 * 100).
	 */
	private record Machine(long busy, long ours, long nanos) {

		private static final int CORES = Runtime.getRuntime().availableProcessors();

		static Machine now() throws IOException {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			// user, nice, system and steal; not irq and softirq, which are mostly the
			// loopback traffic of the contenders themselves
			for (int i : new int[] { 1, 2, 3, 8 }) {
				busy += Long.parseLong(cpu[i]);
			}
			String stat = Files.readString(Path.of("/proc/self/stat"));
			String[] self = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
			long ours = 0;
			for (int i = 11; i <= 14; i++) {
				ours += Long.parseLong(self[i]);
			}
			return new Machine(busy, ours, System.nanoTime());
		}

		/** The share of the machine's CPU that other processes used since. */
		double othersShareSince() throws IOException {
			Machine now = now();
			double ticks = (now.nanos - this.nanos) / 1e9 * 100 * CORES;
			return Math.max(0, (now.busy - this.busy) - (now.ours - this.ours)) / ticks;
		}

	}

	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

	@FunctionalInterface
	private interface Attempt<T> {

		T run(int attempt) throws Exception;

	}

	private interface Rated {

		/** MiB/s. */
		double rate();

	}

	private record Endpoints(String token, String from, String to) {
	}

	private record Ferry(double seconds, double rate, double maxRssKib, double cpu, double wall) implements Rated {
	}

	private record Timed(double seconds, double rate) implements Rated {
	}

	/**
	 * A contender's fastest attempt, and the share of the machine others used meanwhile.
	 */
	private record Measured<T extends Rated>(T result, double others) {

		String note() {
			return (this.others > QUIET) ? String.format(Locale.ROOT,
					" (disturbed: other processes used %.0f%% of the machine)", 100 * this.others) : "";
		}

	}

}

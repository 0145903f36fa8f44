package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * The whole job against the simulated cloud, in one of two modes.
 * <ul>
 * <li>{@code pipeline N C L}: N images, a cap of C tasks in flight per region, export and
 * import latency L ms each, transfers of 64 KiB (nearly free). The ideal schedule keeps
 * every slot busy: exports run in ⌈N/C⌉ waves of L and each wave's imports follow it, so
 * the ideal makespan is (⌈N/C⌉ + 1) × L. The makespan is the job execution's, from the
 * job repository (the JVM's and Spring's start-up are not the job's). Also the API
 * economy: task listings per poll and region, requests per migrated image.</li>
 * <li>{@code overhead N C [mix file]}: N images through a zero-latency simulator, end to
 * end, and the time per image spent in the job repository and the ledger (the
 * {@code image.ferry.database} meter). The job's requests, counted by kind, and its time
 * go to the mix file, for {@link SimulatorBench} to send the same requests to a simulator
 * alone and compare the times.</li>
 * </ul>
 * Prints markdown table rows ({@code | part | measure | value | goal | verdict |}); exits
 * 1 when a goal is missed. {@code BENCH_TRACE=1} adds the wave timeline and the request
 * mix.
 */
public final class PipelineBench {

	private static final int API_CONCURRENCY = 8;

	private static final int TRANSFER_CONCURRENCY = 4;

	private PipelineBench() {
	}

	public static void main(String[] args) throws Exception {
		String mode = arg(args, 0, "pipeline");
		boolean pipeline = mode.equals("pipeline");
		int n = Integer.parseInt(arg(args, 1, pipeline ? "500" : "10000"));
		int cap = Integer.parseInt(arg(args, 2, pipeline ? "20" : "100"));
		Duration latency = pipeline ? Duration.ofMillis(Long.parseLong(arg(args, 3, "2000"))) : Duration.ZERO;
		String mixFile = pipeline ? null : arg(args, 3, null);
		Path dir = Files.createTempDirectory("bench-" + mode + "-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(latency, latency)
			.segmentSize(1024 * 1024)
			.faults(Faults.builder().tasksInFlightCap(cap).build())
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "bench-" + i, SyntheticVhd.fixed(64 * 1024, i))));
			}
			Path credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + String.join("\n", ids) + "\n");
			Duration poll = pipeline ? latency.dividedBy(40) : Duration.ofMillis(20);
			Path job = JobProfile.write(dir.resolve("bench.yml"), cloud.identityUrl(), dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					tasks-in-flight-per-region: %d
					transfer-concurrency: %d
					api-concurrency: %d
					poll-interval: %dms
					progress-interval: 1h
					""".formatted(credentials, cap, TRANSFER_CONCURRENCY, API_CONCURRENCY, poll.toMillis()));
			long started = System.nanoTime();
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
			double process = (System.nanoTime() - started) / 1e9;
			if (code != 0) {
				throw new IllegalStateException("the run ended with exit code " + code);
			}
			double makespan = jobSeconds(dir.resolve("data"));
			Map<String, Double> steps = stepSeconds(dir.resolve("data"));
			String metrics = Files.readString(dir.resolve("reports/image-ferry.prom"));
			Inspection inspection = cloud.inspect();
			long migrated = inspection.images().stream().filter((i) -> i.region().equals("IAD")).count();
			if (migrated != n) {
				throw new IllegalStateException(migrated + " images in the target, expected " + n);
			}
			if (System.getenv("BENCH_TRACE") != null) {
				trace(inspection, cap, n);
			}
			if (mixFile != null) {
				RequestMix.of(n, API_CONCURRENCY + TRANSFER_CONCURRENCY, makespan, inspection.requests())
					.write(Path.of(mixFile));
			}
			List<String> rows = new ArrayList<>();
			boolean ok;
			if (pipeline) {
				ok = pipelineRows(rows, n, cap, latency, makespan, metrics, inspection);
			}
			else {
				// informational: the goal is SimulatorBench's ratio to the same requests
				ok = true;
				overheadRows(rows, n, cap, makespan, process, steps, metrics);
			}
			rows.forEach(System.out::println);
			org.springframework.util.FileSystemUtils.deleteRecursively(dir);
			System.exit(ok ? 0 : 1);
		}
	}

	private static boolean pipelineRows(List<String> rows, int n, int cap, Duration latency, double makespan,
			String metrics, Inspection inspection) {
		double l = latency.toMillis() / 1000.0;
		double ideal = (Math.ceil((double) n / cap) + 1) * l;
		double ratio = makespan / ideal;
		rows.add(row("pipeline", String.format(Locale.ROOT, "makespan, N=%d C=%d L=%.1f s", n, cap, l),
				String.format(Locale.ROOT, "%.1f s", makespan), "", ""));
		rows.add(row("pipeline", String.format(Locale.ROOT, "vs ideal (⌈N/C⌉+1)·L = %.1f s", ideal),
				String.format(Locale.ROOT, "%.3f×", ratio), "≤ 1.10×", verdict(ratio <= 1.10)));
		boolean ok = ratio <= 1.10;
		for (String region : List.of("DFW", "IAD")) {
			long listings = inspection.requests()
				.stream()
				.filter((r) -> r.region().equals(region) && r.method().equals("GET") && r.path().endsWith("/v2/tasks"))
				.count();
			double polls = sum(metrics, "image_ferry_task_polls_total", "region=\"" + region + "\"");
			double perPoll = listings / Math.max(1, polls);
			rows.add(row("api economy",
					String.format(Locale.ROOT, "task listings per poll in %s (%d polls, %d listings)", region,
							(long) polls, listings),
					String.format(Locale.ROOT, "%.2f", perPoll), "≤ 1", verdict(perPoll <= 1.0)));
			ok &= perPoll <= 1.0;
		}
		long taskReads = inspection.requests()
			.stream()
			.filter((r) -> r.method().equals("GET") && r.path().matches(".*/v2/tasks/.+"))
			.count();
		rows.add(row("api economy", "task GETs per image (an import's result: the listing has none)",
				String.format(Locale.ROOT, "%.2f", (double) taskReads / n), "", ""));
		long requests = inspection.requests().stream().filter((r) -> !r.service().equals("_admin")).count();
		rows.add(row("api economy", "requests per migrated image (all services)",
				String.format(Locale.ROOT, "%.1f", (double) requests / n), "", ""));
		return ok;
	}

	private static void overheadRows(List<String> rows, int n, int cap, double seconds, double process,
			Map<String, Double> steps, String metrics) {
		String split = steps.entrySet()
			.stream()
			.map((e) -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
			.collect(Collectors.joining(", "));
		rows.add(row("overhead",
				String.format(Locale.ROOT,
						"%,d images, zero latency, cap %d: job run (%s; process %.1f s), on this machine only", n, cap,
						split, process),
				String.format(Locale.ROOT, "%.1f s", seconds), "", ""));
		for (String store : List.of("job-repository", "ledger")) {
			double spent = sum(metrics, "image_ferry_database_seconds_sum", "store=\"" + store + "\"");
			double count = sum(metrics, "image_ferry_database_seconds_count", "store=\"" + store + "\"");
			rows.add(row("overhead",
					String.format(Locale.ROOT, "time per image in the %s (%.1f statements and commits)",
							store.replace('-', ' '), count / n),
					String.format(Locale.ROOT, "%.2f ms", spent * 1000 / n), "", ""));
		}
	}

	/**
	 * Each step's duration in seconds, in the order they ran, from the job repository.
	 */
	static Map<String, Double> stepSeconds(Path data) throws Exception {
		Map<String, Double> steps = new java.util.LinkedHashMap<>();
		try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("image-ferry"),
				"sa", "");
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT STEP_NAME, START_TIME, END_TIME FROM BATCH_STEP_EXECUTION "
							+ "ORDER BY STEP_EXECUTION_ID")) {
			while (rs.next()) {
				steps.put(rs.getString(1),
						Duration.between(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()).toMillis()
								/ 1000.0);
			}
		}
		return steps;
	}

	/** The job execution's duration, as the job repository recorded it. */
	static double jobSeconds(Path data) throws Exception {
		try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("image-ferry"),
				"sa", "");
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT START_TIME, END_TIME FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID")) {
			rs.next();
			return Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()).toMillis() / 1000.0;
		}
	}

	/** Sums a Prometheus sample over the series whose labels contain {@code label}. */
	static double sum(String exposition, String name, String label) {
		Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
			.matcher(exposition);
		double total = 0;
		while (m.find()) {
			if (m.group(1).contains(label)) {
				total += Double.parseDouble(m.group(2));
			}
		}
		return total;
	}

	static String row(String part, String measure, String value, String goal, String verdict) {
		return "| " + part + " | " + measure + " | " + value + " | " + goal + " | " + verdict + " |";
	}

	static String verdict(boolean ok) {
		return ok ? "ok" : "FAIL";
	}

	private static void trace(Inspection inspection, int cap, int n) {
		List<Inspection.TaskView> tasks = inspection.tasks();
		java.time.Instant t0 = tasks.get(0).createdAt();
		for (String type : List.of("export", "import")) {
			List<Inspection.TaskView> ofType = tasks.stream().filter((t) -> t.type().equals(type)).toList();
			StringBuilder line = new StringBuilder(type + " waves (first task created, s): ");
			for (int i = 0; i < ofType.size(); i += cap) {
				line.append(String.format(Locale.ROOT, "%.1f ",
						Duration.between(t0, ofType.get(i).createdAt()).toMillis() / 1000.0));
			}
			System.out.println(line);
		}
		RequestMix.of(n, 0, 0, inspection.requests())
			.counts()
			.forEach((k, v) -> System.out.printf(Locale.ROOT, "%8.2f %s%n", (double) v / n, k));
	}

	private static String arg(String[] args, int i, String fallback) {
		return (args.length > i) ? args[i] : fallback;
	}

}

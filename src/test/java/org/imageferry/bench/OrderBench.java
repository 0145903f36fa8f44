package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.springframework.util.FileSystemUtils;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * {@code order N C E I}: the same mixed-size manifest run twice, once with
 * {@code order: largest-first} and once with {@code order: manifest}, against a simulated
 * cloud whose task times grow with size (export E MB/s, import I MB/s, no fixed part).
 * Sizes are Rackspace's 1–160 GB scaled to 1–160 MiB, spread evenly on a log scale (many
 * small images, a few large: a mixed manifest), in a shuffled manifest order; a cap of C
 * tasks in flight per region. Each makespan (the job execution's, from the job
 * repository) is set against a lower bound no schedule beats: the longest image's chain
 * (its export, its copy as measured, its import), and each region's total task time over
 * its C slots (the images' task time over the slots, counted per region: exports and
 * imports run in different regions). Largest first should stay within 10 % of it;
 * manifest order is shown beside it. With C=4 the two bounds meet (~27.6 s) and the large
 * images' imports, first come, fill the target region's slots late in the run: largest
 * first then ends ~1.2× the bound (manifest order ~1.5×); C=8 is the default.
 */
public final class OrderBench {

	private static final long MIB = 1024 * 1024;

	private OrderBench() {
	}

	public static void main(String[] args) throws Exception {
		int n = Integer.parseInt(arg(args, 0, "32"));
		int cap = Integer.parseInt(arg(args, 1, "8"));
		double exportRate = Double.parseDouble(arg(args, 2, "10"));
		double importRate = Double.parseDouble(arg(args, 3, "19"));
		Rules rules = Rules.builder()
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.exportMbPerSecond(exportRate)
			.importMbPerSecond(importRate)
			.build();
		List<Long> sizes = sizes(n);
		List<String> rows = new ArrayList<>();
		boolean ok = true;
		for (String order : List.of("largest-first", "manifest")) {
			Run run = run(order, sizes, cap, rules);
			double ratio = run.makespan() / run.bound();
			boolean goal = order.equals("largest-first");
			rows.add(PipelineBench.row("order",
					String.format(Locale.ROOT,
							"%s: makespan over the lower bound %.1f s (makespan %.1f s; N=%d sizes 1–160 MiB, C=%d, "
									+ "export %.0f MB/s, import %.0f MB/s)",
							order, run.bound(), run.makespan(), n, cap, exportRate, importRate),
					String.format(Locale.ROOT, "%.3f×", ratio), goal ? "≤ 1.10×" : "",
					goal ? PipelineBench.verdict(ratio <= 1.10) : ""));
			ok &= !goal || ratio <= 1.10;
		}
		rows.forEach(System.out::println);
		System.exit(ok ? 0 : 1);
	}

	/**
	 * {@code n} virtual sizes from 1 to 160 MiB, evenly spread on a log scale, in a
	 * shuffled (but repeatable) manifest order.
	 */
	private static List<Long> sizes(int n) {
		List<Long> sizes = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			sizes.add(Math.round(Math.pow(160, (double) i / (n - 1)) * MIB / 512) * 512);
		}
		Collections.shuffle(sizes, new Random(15));
		return sizes;
	}

	private record Run(double makespan, double bound) {
	}

	private static Run run(String order, List<Long> sizes, int cap, Rules rules) throws Exception {
		Path dir = Files.createTempDirectory("bench-order-");
		try (SimulatedCloud cloud = SimulatedCloud.start(
				SimulatorConfig.builder().rules(rules).segmentSize(16 * MIB).dataDir(dir.resolve("cloud")).build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < sizes.size(); i++) {
				ids.add(cloud
					.addImage(ImageSeed.of("DFW", "100001", "order-" + i, SyntheticVhd.fixed(sizes.get(i), i))));
			}
			Path credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path manifest = Files.writeString(dir.resolve("order.csv"), "image_id\n" + String.join("\n", ids) + "\n");
			Path job = JobProfile.write(dir.resolve("order.yml"), cloud.identityUrl(), dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					tasks-in-flight-per-region: %d
					transfer-concurrency: 4
					api-concurrency: 8
					poll-interval: 100ms
					progress-interval: 1h
					order: %s
					""".formatted(credentials, cap, order));
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
			if (code != 0) {
				throw new IllegalStateException("the " + order + " run ended with exit code " + code);
			}
			Path data = dir.resolve("data");
			if (System.getenv("BENCH_TRACE") != null) {
				trace(data, order);
			}
			return new Run(PipelineBench.jobSeconds(data), bound(data, cap, rules));
		}
		finally {
			FileSystemUtils.deleteRecursively(dir);
		}
	}

	/**
	 * What no schedule beats: the longest chain of one image (export and import as the
	 * simulator times them, the copy as it went), and each region's task time over its
	 * slots.
	 */
	private static double bound(Path data, int cap, Rules rules) throws Exception {
		double chain = 0;
		double exports = 0;
		double imports = 0;
		try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("image-ferry"),
				"sa", "");
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT SOURCE_SIZE, TRANSFER_STARTED_AT, TRANSFER_ENDED_AT FROM FERRY_IMAGE")) {
			while (rs.next()) {
				long bytes = rs.getLong(1);
				double export = rules.taskTime("export", bytes).toMillis() / 1000.0;
				double imported = rules.taskTime("import", bytes).toMillis() / 1000.0;
				double copy = Duration.between(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant())
					.toMillis() / 1000.0;
				chain = Math.max(chain, export + copy + imported);
				exports += export;
				imports += imported;
			}
		}
		return Math.max(chain, Math.max(exports, imports) / cap);
	}

	/**
	 * {@code BENCH_TRACE=1}: the way of the last eight images to finish (export requested
	 * and ended, copy started and ended, import requested and ended, finished), the ends
	 * of each stage, and the steps' times, in seconds from the job's start.
	 */
	private static void trace(Path data, String order) throws Exception {
		try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("image-ferry"),
				"sa", "");
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT SOURCE_SIZE, EXPORT_REQUESTED_AT, EXPORT_ENDED_AT, TRANSFER_STARTED_AT, "
							+ "TRANSFER_ENDED_AT, IMPORT_REQUESTED_AT, IMPORT_ENDED_AT, FINISHED_AT, "
							+ "(SELECT MIN(START_TIME) FROM BATCH_JOB_EXECUTION), "
							+ "(SELECT MAX(END_TIME) FROM BATCH_JOB_EXECUTION) FROM FERRY_IMAGE "
							+ "ORDER BY FINISHED_AT DESC LIMIT 8")) {
			while (rs.next()) {
				Instant start = rs.getTimestamp(9).toInstant();
				StringBuilder line = new StringBuilder(order + " " + rs.getLong(1) / MIB + " MiB:");
				for (int c = 2; c <= 8; c++) {
					line.append(String.format(Locale.ROOT, " %.1f",
							Duration.between(start, rs.getTimestamp(c).toInstant()).toMillis() / 1000.0));
				}
				line.append(String.format(Locale.ROOT, " (job end %.1f)",
						Duration.between(start, rs.getTimestamp(10).toInstant()).toMillis() / 1000.0));
				System.out.println(line);
			}
		}
		try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("image-ferry"),
				"sa", "");
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT (SELECT MIN(START_TIME) FROM BATCH_JOB_EXECUTION), MIN(EXPORT_REQUESTED_AT), "
							+ "MAX(EXPORT_ENDED_AT), MAX(TRANSFER_ENDED_AT), MAX(IMPORT_ENDED_AT), MAX(FINISHED_AT), "
							+ "SUM(DATEDIFF('MILLISECOND', EXPORT_REQUESTED_AT, EXPORT_ENDED_AT)) FROM FERRY_IMAGE")) {
			rs.next();
			Instant start = rs.getTimestamp(1).toInstant();
			StringBuilder line = new StringBuilder(order + " first export, last export, transfer, import, finish:");
			for (int c = 2; c <= 6; c++) {
				line.append(String.format(Locale.ROOT, " %.1f",
						Duration.between(start, rs.getTimestamp(c).toInstant()).toMillis() / 1000.0));
			}
			line.append(" export seconds in all ").append(rs.getLong(7) / 1000.0);
			System.out.println(line);
		}
		PipelineBench.stepSeconds(data)
			.forEach((step, seconds) -> System.out.println(order + " step " + step + " " + seconds));
	}

	private static String arg(String[] args, int i, String fallback) {
		return (args.length > i) ? args[i] : fallback;
	}

}

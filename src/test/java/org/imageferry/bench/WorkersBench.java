package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.JobProfile;
import org.imageferry.testsupport.PostgresServer;

/**
 * {@code workers [N MiB cap_MB/s]}: the same N images of MiB each copied by 1, 2 and 3
 * {@code worker} processes, each reaching the simulator at a host of its own (127.0.0.2,
 * .3, .4) whose link is capped at cap MB/s (both directions together, so a worker copies
 * at about half of it), the manager in this JVM, the job repository and the ledger in a
 * throwaway PostgreSQL cluster (a database per round, a fresh simulator per round). The
 * copy throughput is the images' bytes over the copy phase: from the first
 * {@code TRANSFER_STARTED_AT} to the last {@code TRANSFER_ENDED_AT} in the ledger, so
 * neither the JVMs' start nor the exports and imports count. Also task listings per
 * region per poll, as {@link PipelineBench} counts them, in every round.
 */
public final class WorkersBench {

	private static final Duration PATIENCE = Duration.ofMinutes(3);

	private WorkersBench() {
	}

	public static void main(String[] args) throws Exception {
		int n = Integer.parseInt(arg(args, 0, "12"));
		long mib = Long.parseLong(arg(args, 1, "40"));
		long cap = Long.parseLong(arg(args, 2, "40")) * 1_000_000;
		List<String> rows = new ArrayList<>();
		boolean ok = true;
		double[] throughput = new double[4];
		try (PostgresServer server = PostgresServer.start()) {
			for (int workers = 1; workers <= 3; workers++) {
				Round round = round(server, workers, n, mib, cap);
				throughput[workers] = round.bytes / round.seconds;
				rows.add(PipelineBench.row("workers",
						String.format(Locale.ROOT, "copy throughput, %d worker%s (%d × %d MiB in %.1f s)", workers,
								(workers == 1) ? "" : "s", n, mib, round.seconds),
						String.format(Locale.ROOT, "%.1f MB/s", throughput[workers] / 1e6), "", ""));
				ok &= round.perPoll <= 1.0;
				rows.add(PipelineBench.row("workers",
						String.format(Locale.ROOT, "task listings per poll and region, %d worker%s", workers,
								(workers == 1) ? "" : "s"),
						String.format(Locale.ROOT, "%.2f", round.perPoll), "≤ 1",
						PipelineBench.verdict(round.perPoll <= 1.0)));
			}
		}
		double ratio = throughput[3] / throughput[1];
		rows.add(PipelineBench.row("workers",
				String.format(Locale.ROOT, "3 workers / 1 worker (each host capped at %d MB/s)", cap / 1_000_000),
				String.format(Locale.ROOT, "%.2f×", ratio), "≥ 2.7×", PipelineBench.verdict(ratio >= 2.7)));
		ok &= ratio >= 2.7;
		rows.forEach(System.out::println);
		System.exit(ok ? 0 : 1);
	}

	private record Round(double bytes, double seconds, double perPoll) {
	}

	private static Round round(PostgresServer server, int workers, int n, long mib, long cap) throws Exception {
		Path dir = Files.createTempDirectory("bench-workers-" + workers + "-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.hosts(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"))
			.hostBandwidth(cap)
			.segmentSize(8 * 1024 * 1024)
			.taskLatency(Duration.ofMillis(500), Duration.ofMillis(500))
			.build())) {
			List<String> ids = new ArrayList<>();
			long bytes = 0;
			for (int i = 0; i < n; i++) {
				long size = mib * 1024 * 1024 - 512;
				ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "bench-" + i, SyntheticVhd.fixed(size, i))));
				bytes += size + 512;
			}
			Path credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + String.join("\n", ids) + "\n");
			JdbcDatabase database = server.createDatabase();
			Path job = JobProfile.write(dir.resolve("bench.yml"), cloud.identityUrl(), dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					workers: %d
					lease: 30s
					transfer-concurrency: 2
					poll-interval: 200ms
					progress-interval: 1h
					""".formatted(credentials, workers));
			database.appendTo(job);
			List<Process> started = new ArrayList<>();
			try {
				for (int w = 1; w <= workers; w++) {
					started
						.add(worker(job, cloud.identityUrl("127.0.0." + (1 + w)), dir.resolve("worker-" + w + ".log")));
				}
				int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
				if (code != 0) {
					throw new IllegalStateException("the run with " + workers + " workers ended " + code);
				}
				// a worker ends when its run does; not waited for long: it is not
				// measured
				for (Process process : started) {
					process.waitFor(5, TimeUnit.SECONDS);
				}
			}
			finally {
				started.forEach(Process::destroyForcibly);
			}
			Inspection inspection = cloud.inspect();
			long migrated = inspection.images().stream().filter((i) -> i.region().equals("IAD")).count();
			if (migrated != n) {
				throw new IllegalStateException(migrated + " images in the target, expected " + n);
			}
			String metrics = Files.readString(dir.resolve("reports/image-ferry.prom"));
			double perPoll = 0;
			for (String region : List.of("DFW", "IAD")) {
				long listings = inspection.requests()
					.stream()
					.filter((r) -> r.region().equals(region) && r.method().equals("GET")
							&& r.path().endsWith("/v2/tasks"))
					.count();
				double polls = PipelineBench.sum(metrics, "image_ferry_task_polls_total", "region=\"" + region + "\"");
				perPoll = Math.max(perPoll, listings / Math.max(1, polls));
			}
			double seconds = copySeconds(database);
			org.springframework.util.FileSystemUtils.deleteRecursively(dir);
			return new Round(bytes, seconds, perPoll);
		}
	}

	/** A worker process, as {@code scripts/migrate worker} starts it, on one host. */
	private static Process worker(Path job, String identityUrl, Path log) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				ImageFerryApplication.class.getName(), "worker", "--job", job.toString()));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("IMAGE_FERRY_IDENTITY_URL", identityUrl);
		return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** The copy phase, from the ledger: the first copy's start to the last one's end. */
	private static double copySeconds(JdbcDatabase database) throws Exception {
		try (Connection db = database.connect();
				ResultSet rs = db.createStatement()
					.executeQuery("SELECT MIN(TRANSFER_STARTED_AT), MAX(TRANSFER_ENDED_AT) FROM FERRY_IMAGE")) {
			rs.next();
			return Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()).toMillis() / 1000.0;
		}
	}

	private static String arg(String[] args, int i, String fallback) {
		return (args.length > i) ? args[i] : fallback;
	}

}

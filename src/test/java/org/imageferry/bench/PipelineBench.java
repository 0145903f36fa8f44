package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Pipeline efficiency: N images, a cap of C tasks in flight per region, export and import
 * latency L each, (nearly) zero-cost transfers. The ideal schedule keeps every slot busy:
 * exports run in ⌈N/C⌉ waves of L and each wave's imports follow it, so the ideal
 * makespan is (⌈N/C⌉ + 1) × L. Prints the measured makespan, the ratio, and the requests
 * per migrated image.
 */
public final class PipelineBench {

	private PipelineBench() {
	}

	public static void main(String[] args) throws Exception {
		int n = Integer.parseInt(arg(args, 0, "500"));
		int cap = Integer.parseInt(arg(args, 1, "20"));
		Duration latency = Duration.ofMillis(Long.parseLong(arg(args, 2, "2000")));
		Path dir = Files.createTempDirectory("bench-pipeline-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.taskLatency(latency, latency)
			.segmentSize(1024 * 1024)
			.faults(Faults.builder().tasksInFlightCap(cap).build())
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "bench-" + i, SyntheticVhd.fixed(64 * 1024, i))));
			}
			Path credentials = Files.createFile(dir.resolve("credentials"),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(credentials, "username=alice\napi-key=alice-api-key\n");
			Path manifest = Files.writeString(dir.resolve("bench.csv"), "image_id\n" + String.join("\n", ids) + "\n");
			Path job = Files.writeString(dir.resolve("bench.yml"), """
					image-ferry:
					  identity-url: %s
					  credentials-file: %s
					  data-dir: %s
					  reports-dir: %s
					  metrics-textfile: %s
					  source: { region: DFW, container: exports }
					  target: { region: IAD, container: imports }
					  tasks-in-flight-per-region: %d
					  transfer-concurrency: 4
					  poll-interval: %dms
					  progress-interval: 1h
					""".formatted(cloud.identityUrl(), credentials, dir.resolve("data"), dir.resolve("reports"),
					dir.resolve("reports/m.prom"), cap, Math.max(20, latency.toMillis() / 40)));
			long started = System.nanoTime();
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
			double makespan = (System.nanoTime() - started) / 1e9;
			double ideal = (Math.ceil((double) n / cap) + 1) * latency.toMillis() / 1000.0;
			Inspection inspection = cloud.inspect();
			long requests = inspection.requests().stream().filter((r) -> !r.service().equals("_admin")).count();
			long statusRequests = inspection.requests()
				.stream()
				.filter((r) -> r.method().equals("GET") && r.path().matches(".*/v2/tasks(/.*)?"))
				.count();
			if (System.getenv("BENCH_TRACE") != null) {
				trace(inspection, cap);
				inspection.requests()
					.stream()
					.collect(java.util.stream.Collectors.groupingBy((r) -> r.service() + " " + r.method() + " "
							+ r.path().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}").replaceAll("/v1/[^/]+", "/v1/A"),
							java.util.TreeMap::new, java.util.stream.Collectors.counting()))
					.forEach((k, v) -> System.out.printf(Locale.ROOT, "%8.2f %s%n", (double) v / n, k));
			}
			System.out.printf(Locale.ROOT,
					"pipeline: N=%d C=%d L=%.1fs exit=%d makespan=%.1fs ideal=(ceil(N/C)+1)*L=%.1fs ratio=%.3f "
							+ "requests/image=%.1f task-status requests/image=%.2f%n",
					n, cap, latency.toMillis() / 1000.0, code, makespan, ideal, makespan / ideal, (double) requests / n,
					(double) statusRequests / n);
		}
	}

	private static void trace(Inspection inspection, int cap) {
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
	}

	private static String arg(String[] args, int i, String fallback) {
		return (args.length > i) ? args[i] : fallback;
	}

}

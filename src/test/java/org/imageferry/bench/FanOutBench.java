package org.imageferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

/**
 * {@code fan-out N}: N images of 1 MiB moved from DFW to one target (IAD), then, in a
 * cloud of its own, to three (IAD, ORD, SYD), each run by the command line. Per run: the
 * exports per image (one, whatever the number of targets), and the requests per image and
 * target, all services — in the source region and in the targets' — so that what a target
 * adds can be read beside what the source's one export costs. Prints markdown table rows;
 * exits 1 when an image was exported more than once or a run did not migrate every image
 * to every target.
 */
public final class FanOutBench {

	private static final List<String> TARGETS = List.of("IAD", "ORD", "SYD");

	private FanOutBench() {
	}

	public static void main(String[] args) throws Exception {
		int n = Integer.parseInt((args.length > 0) ? args[0] : "20");
		List<String> rows = new ArrayList<>();
		boolean ok = true;
		for (int targets : List.of(1, 3)) {
			ok &= run(n, targets, rows);
		}
		rows.forEach(System.out::println);
		System.exit(ok ? 0 : 1);
	}

	private static boolean run(int n, int targets, List<String> rows) throws Exception {
		Path dir = Files.createTempDirectory("bench-fanout-");
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.regions(List.of("DFW", "IAD", "ORD", "SYD"))
			.segmentSize(256 * 1024)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "fan-" + i, SyntheticVhd.fixed(1024 * 1024, i))));
			}
			Path credentials = JobProfile.credentials(dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path manifest = Files.writeString(dir.resolve("fan.csv"), "image_id\n" + String.join("\n", ids) + "\n");
			String list = TARGETS.subList(0, targets)
				.stream()
				.map((region) -> "  - { region: " + region + ", container: imports }")
				.collect(Collectors.joining("\n"));
			Path job = JobProfile.write(dir.resolve("fan.yml"), cloud.identityUrl(), dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					targets:
					%s
					poll-interval: 50ms
					progress-interval: 1h
					""".formatted(credentials, list));
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());
			Inspection inspection = cloud.inspect();
			long migrated = inspection.images().stream().filter((i) -> !i.region().equals("DFW")).count();
			long exports = inspection.tasks().stream().filter((t) -> t.type().equals("export")).count();
			List<Inspection.RequestView> requests = inspection.requests()
				.stream()
				.filter((r) -> !r.service().equals("_admin"))
				.toList();
			long source = requests.stream().filter((r) -> "DFW".equals(r.region())).count();
			long all = requests.size();
			double perImage = (double) exports / n;
			double pairs = (double) n * targets;
			String label = targets + " target" + ((targets > 1) ? "s" : "");
			boolean ok = code == 0 && migrated == (long) n * targets && exports == n;
			rows.add(PipelineBench.row("fan-out",
					String.format(Locale.ROOT, "exports per image, %d images, %s", n, label),
					String.format(Locale.ROOT, "%.2f", perImage), "1.00", PipelineBench.verdict(ok)));
			rows.add(PipelineBench.row("fan-out", String.format(Locale.ROOT,
					"requests per image and target, %s (source %.1f, targets %.1f, " + "identity and the rest %.1f)",
					label, source / pairs,
					requests.stream().filter((r) -> TARGETS.contains(r.region())).count() / pairs,
					requests.stream().filter((r) -> !"DFW".equals(r.region()) && !TARGETS.contains(r.region())).count()
							/ pairs),
					String.format(Locale.ROOT, "%.1f", all / pairs), "", ""));
			return ok;
		}
		finally {
			org.springframework.util.FileSystemUtils.deleteRecursively(dir);
		}
	}

}

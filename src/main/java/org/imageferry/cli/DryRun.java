package org.imageferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.imageferry.export.Preflight;
import org.imageferry.job.MigrationRoute;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.manifest.ManifestProblem;
import org.imageferry.report.Units;

/**
 * {@code run --dry-run}: the plan of a run — each image and target with its size and what
 * pre-flight says, the invalid lines, the containers a run would create — from read-only
 * calls. No task, container, object or ledger row is created. Lines are listed in
 * manifest order, invalid ones in their place, so the plan reads beside the manifest;
 * sizes read as the reports write them, and the totals say what the run would move.
 */
final class DryRun {

	private static final String ROW = "%5s  %-36s  %-8s  %10s  %-18s  %s%n";

	private DryRun() {
	}

	/**
	 * What a run would do with one manifest line; {@code bytes} only for an image to
	 * copy.
	 */
	private record PlannedLine(int line, String imageId, String target, Plan plan, Long bytes, String action,
			String explanation) {

	}

	private enum Plan {

		MIGRATE, SKIP, FAIL

	}

	/**
	 * @return the exit code a real run would most likely end with: 0, or 2 when some
	 * image would fail
	 */
	static int plan(Manifest manifest, MigrationRoute route, Ledger ledger, long sizeLimit, boolean force,
			PrintStream out) {
		out.printf("plan: %s -> %s, %d image(s), %d invalid line(s)%n", route.source().key(),
				route.targets()
					.stream()
					.map((t) -> t.side().key() + ((route.targets().size() > 1) ? " (" + t.name() + ")" : ""))
					.collect(Collectors.joining(", ")),
				manifest.entries().size(), manifest.problems().size());
		route.containersToCreate().forEach((c) -> out.println("would create container " + c));
		List<PlannedLine> lines = new ArrayList<>();
		for (MigrationRoute.Target target : route.targets()) {
			Preflight preflight = new Preflight(route.source(), target.side(), sizeLimit, force);
			for (ManifestEntry entry : manifest.entries()) {
				lines.add(planned(entry, target, ledger, preflight, force));
			}
		}
		for (ManifestProblem problem : manifest.problems()) {
			lines.add(new PlannedLine(problem.line(), problem.imageId(), "", Plan.FAIL, null, "fail MANIFEST",
					problem.message()));
		}
		lines.sort(Comparator.comparingInt(PlannedLine::line));
		out.printf(ROW, "line", "source image", "target", "size", "plan", "explanation");
		for (PlannedLine line : lines) {
			out.printf(ROW, line.line(), line.imageId(), line.target(),
					(line.bytes() != null) ? Units.bytes(line.bytes()) : "", line.action(), line.explanation());
		}
		long failures = count(lines, Plan.FAIL);
		long bytes = lines.stream().filter((s) -> s.bytes() != null).mapToLong(PlannedLine::bytes).sum();
		out.printf(Locale.ROOT, "total: %d line(s); %d would migrate, %s to copy (%,d bytes); %d skip; %d fail%n",
				lines.size(), count(lines, Plan.MIGRATE), Units.bytes(bytes), bytes, count(lines, Plan.SKIP), failures);
		out.println("dry run: nothing was created");
		return (failures > 0) ? ExitCodes.SOME_FAILED : ExitCodes.MIGRATED;
	}

	private static PlannedLine planned(ManifestEntry entry, MigrationRoute.Target target, Ledger ledger,
			Preflight preflight, boolean force) {
		Optional<ImageRecord> known = ledger.find(target.route(), entry.imageId());
		if (!force && known.isPresent() && known.get().state() == ImageState.MIGRATED) {
			return new PlannedLine(entry.line(), entry.imageId(), target.name(), Plan.SKIP, null, "skip",
					"already migrated to " + known.get().targetImageId());
		}
		Preflight.Verdict verdict = preflight.check(entry.imageId());
		return switch (verdict.state()) {
			case READY -> new PlannedLine(entry.line(), entry.imageId(), target.name(), Plan.MIGRATE, verdict.size(),
					"migrate", "as '" + ((entry.targetName() != null) ? entry.targetName() : verdict.name()) + "'");
			case MIGRATED -> new PlannedLine(entry.line(), entry.imageId(), target.name(), Plan.SKIP, null, "skip",
					"already in " + target.side().region() + " as " + verdict.targetImageId());
			default -> new PlannedLine(entry.line(), entry.imageId(), target.name(), Plan.FAIL, null,
					"fail " + verdict.failureCode(), verdict.explanation());
		};
	}

	private static long count(List<PlannedLine> lines, Plan plan) {
		return lines.stream().filter((s) -> s.plan() == plan).count();
	}

}

package org.imageferry.cli;

import java.io.PrintStream;
import java.util.Optional;

import org.imageferry.export.Preflight;
import org.imageferry.job.MigrationRoute;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.manifest.ManifestProblem;

/**
 * {@code run --dry-run}: the plan of a run — each image with its size and what pre-flight
 * says, the invalid lines, the containers a run would create — from read-only calls. No
 * task, container, object or ledger row is created.
 */
final class DryRun {

	private DryRun() {
	}

	/**
	 * @return the exit code a real run would most likely end with: 0, or 2 when some
	 * image would fail
	 */
	static int plan(Manifest manifest, MigrationRoute route, Ledger ledger, long sizeLimit, boolean force,
			PrintStream out) {
		Preflight preflight = new Preflight(route.source(), route.target(), sizeLimit, force);
		out.printf("plan: %s -> %s, %d image(s), %d invalid line(s)%n", route.source().key(), route.target().key(),
				manifest.entries().size(), manifest.problems().size());
		route.containersToCreate().forEach((c) -> out.println("would create container " + c));
		out.printf("%5s  %-36s  %12s  %-18s  %s%n", "line", "source image", "bytes", "plan", "explanation");
		int failures = 0;
		for (ManifestEntry entry : manifest.entries()) {
			Optional<ImageRecord> known = ledger.find(route.key(), entry.imageId());
			if (!force && known.isPresent() && known.get().state() == ImageState.MIGRATED) {
				out.printf("%5d  %-36s  %12s  %-18s  %s%n", entry.line(), entry.imageId(), "", "skip",
						"already migrated to " + known.get().targetImageId());
				continue;
			}
			Preflight.Verdict verdict = preflight.check(entry.imageId());
			String bytes = (verdict.columns().get("SOURCE_SIZE") != null)
					? verdict.columns().get("SOURCE_SIZE").toString() : "";
			switch (verdict.state()) {
				case READY ->
					out.printf("%5d  %-36s  %12s  %-18s  %s%n", entry.line(), entry.imageId(), bytes, "migrate", "as '"
							+ ((entry.targetName() != null) ? entry.targetName() : verdict.columns().get("SOURCE_NAME"))
							+ "'");
				case MIGRATED -> out.printf("%5d  %-36s  %12s  %-18s  %s%n", entry.line(), entry.imageId(), "", "skip",
						"already in " + route.target().region() + " as " + verdict.columns().get("TARGET_IMAGE_ID"));
				default -> {
					failures++;
					out.printf("%5d  %-36s  %12s  %-18s  %s%n", entry.line(), entry.imageId(), "",
							"fail " + verdict.failureCode(), verdict.explanation());
				}
			}
		}
		for (ManifestProblem problem : manifest.problems()) {
			failures++;
			out.printf("%5d  %-36s  %12s  %-18s  %s%n", problem.line(), problem.imageId(), "", "fail MANIFEST",
					problem.message());
		}
		out.println("dry run: nothing was created");
		return (failures > 0) ? ExitCodes.SOME_FAILED : ExitCodes.MIGRATED;
	}

}

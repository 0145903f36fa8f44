package org.imageferry.report;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.imageferry.ledger.RunItem;

/**
 * The {@code status} table: where each image of a run stands, on each target — state,
 * target image, failure code and explanation, bytes, and time in each phase (a phase
 * still under way counts up to now), and, when workers copied, the worker that moved each
 * image (no such column on a run of one host) — then the objects clean-ups left behind,
 * and a restarted run's executions. Phases are timed by {@link ReportRows}, as in the
 * reports: without the time the run was not running between executions.
 */
public final class StatusTable {

	private static final String FORMAT = "%5s  %-36s  %-8s  %-16s  %-36s  %-15s  %10s  %8s  %8s  %8s  ";

	private StatusTable() {
	}

	public static void print(RunSummary run, List<RunItem> items, Instant now, PrintStream out) {
		List<ReportRows.Row> rows = ReportRows.asOf(now, run.pauses(), items);
		String format = FORMAT + workerColumn(rows) + "%s%n";
		out.printf(format, "line", "source image", "target", "state", "target image", "code", "bytes", "export",
				"transfer", "import", "worker", "explanation");
		for (ReportRows.Row row : rows) {
			String state = (row.image() == null || row.outcome() == Outcome.ALREADY_MIGRATED) ? row.outcome().label()
					: row.image().state().name().toLowerCase(Locale.ROOT);
			out.printf(format, row.line(), OutcomeTable.clip(row.sourceImageId(), 36), row.target(), state,
					(row.targetImageId() != null) ? row.targetImageId() : "-",
					(row.failureCode() != null) ? row.failureCode() : "",
					(row.bytes() != null) ? row.bytes().toString() : "",
					Units.duration(row.duration(ReportRows.Phase.EXPORT)),
					Units.duration(row.duration(ReportRows.Phase.TRANSFER)),
					Units.duration(row.duration(ReportRows.Phase.IMPORT)), (row.worker() != null) ? row.worker() : "",
					OutcomeTable.oneLine((row.explanation() != null) ? row.explanation() : ""));
		}
		out.println(OutcomeTable.summary(items));
		leftovers(rows, out);
		executions(run, out);
	}

	/**
	 * The worker column's format, as wide as the longest worker's name; when no image was
	 * moved by a worker, {@code %.0s}: the cell printed as nothing, the line as before.
	 */
	private static String workerColumn(List<ReportRows.Row> rows) {
		if (!ReportRows.anyWorker(rows)) {
			return "%.0s";
		}
		int width = rows.stream()
			.map(ReportRows.Row::worker)
			.filter(Objects::nonNull)
			.mapToInt(String::length)
			.reduce("worker".length(), Math::max);
		return "%-" + width + "s  ";
	}

	/**
	 * A run restarted: each execution, the time it was not running after it, and the
	 * run's wall and active time so far.
	 */
	private static void executions(RunSummary run, PrintStream out) {
		if (run.executions().size() < 2) {
			return;
		}
		out.println("executions of run " + run.runId() + ":");
		List<Pauses.Pause> pauses = run.pauses().list();
		for (RunSummary.Execution execution : run.executions()) {
			String pause = pauses.stream()
				.filter((p) -> p.after() == execution.id())
				.map((p) -> ", then not running (" + p.label() + ") " + Units.duration(p.duration()))
				.findFirst()
				.orElse("");
			out.printf("%8d  %-9s  %s to %s%s%n", execution.id(), execution.status(),
					Units.timestamp(execution.startedAt()),
					(execution.endedAt() != null) ? Units.timestamp(execution.endedAt()) : "now", pause);
		}
		if (run.wallTime() != null) {
			out.printf("wall time %s, active %s%n", Units.duration(run.wallTime()), Units.duration(run.activeTime()));
		}
	}

	/**
	 * Lists, image by image, the exported objects clean-ups left behind, which the next
	 * run deletes.
	 */
	private static void leftovers(List<ReportRows.Row> rows, PrintStream out) {
		List<ReportRows.Row> left = rows.stream().filter((row) -> !row.leftovers().isEmpty()).toList();
		if (left.isEmpty()) {
			return;
		}
		out.printf("left behind by clean-up (the next run deletes them): %d objects of %d images%n",
				left.stream().mapToInt((row) -> row.leftovers().size()).sum(), left.size());
		for (ReportRows.Row row : left) {
			out.printf("%5s  %s  %s%n", row.line(), row.sourceImageId(), row.target());
			row.leftovers().forEach((object) -> out.printf("%5s    %s%n", "", object));
		}
	}

}

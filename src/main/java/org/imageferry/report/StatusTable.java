package org.imageferry.report;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.imageferry.ledger.RunItem;

/**
 * The {@code status} table: where each image of a run stands — state, target image,
 * failure code and explanation, bytes, and time in each phase (a phase still under way
 * counts up to now) — then the objects clean-ups left behind. Phases are timed by
 * {@link ReportRows}, as in the reports.
 */
public final class StatusTable {

	private static final String FORMAT = "%5s  %-36s  %-16s  %-36s  %-15s  %10s  %8s  %8s  %8s  %s%n";

	private StatusTable() {
	}

	public static void print(List<RunItem> items, Instant now, PrintStream out) {
		out.printf(FORMAT, "line", "source image", "state", "target image", "code", "bytes", "export", "transfer",
				"import", "explanation");
		for (ReportRows.Row row : ReportRows.asOf(now, items)) {
			String state = (row.image() == null || row.outcome() == Outcome.ALREADY_MIGRATED) ? row.outcome().label()
					: row.image().state().name().toLowerCase(Locale.ROOT);
			out.printf(FORMAT, row.line(), OutcomeTable.clip(row.sourceImageId(), 36), state,
					(row.targetImageId() != null) ? row.targetImageId() : "-",
					(row.failureCode() != null) ? row.failureCode() : "",
					(row.bytes() != null) ? row.bytes().toString() : "",
					Units.duration(row.duration(ReportRows.Phase.EXPORT)),
					Units.duration(row.duration(ReportRows.Phase.TRANSFER)),
					Units.duration(row.duration(ReportRows.Phase.IMPORT)),
					OutcomeTable.oneLine((row.explanation() != null) ? row.explanation() : ""));
		}
		out.println(OutcomeTable.summary(items));
		leftovers(ReportRows.asOf(now, items), out);
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
			out.printf("%5s  %s%n", row.line(), row.sourceImageId());
			row.leftovers().forEach((object) -> out.printf("%5s    %s%n", "", object));
		}
	}

}

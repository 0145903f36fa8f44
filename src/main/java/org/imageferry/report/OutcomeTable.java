package org.imageferry.report;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.imageferry.ledger.RunItem;

/**
 * The per-image outcome table printed at the end of a run: one line per manifest line and
 * target, failures explained.
 */
public final class OutcomeTable {

	private OutcomeTable() {
	}

	public static void print(List<RunItem> items, PrintStream out) {
		out.printf("%5s  %-36s  %-8s  %-16s  %-36s  %-15s  %s%n", "line", "source image", "target", "outcome",
				"target image", "code", "explanation");
		for (ReportRows.Row row : ReportRows.of(items)) {
			out.printf("%5d  %-36s  %-8s  %-16s  %-36s  %-15s  %s%n", row.line(), clip(row.sourceImageId(), 36),
					row.target(), row.outcome().label(), (row.targetImageId() != null) ? row.targetImageId() : "-",
					(row.failureCode() != null) ? row.failureCode() : "",
					oneLine((row.explanation() != null) ? row.explanation() : ""));
		}
		out.println(summary(items));
	}

	public static String summary(List<RunItem> items) {
		Map<Outcome, Long> counts = items.stream()
			.collect(Collectors.groupingBy(Outcome::of, () -> new EnumMap<>(Outcome.class), Collectors.counting()));
		if (counts.isEmpty()) {
			return "no images";
		}
		return counts.entrySet()
			.stream()
			.map((e) -> e.getValue() + " " + e.getKey().label()
					+ ((e.getKey() == Outcome.INVALID && e.getValue() != 1) ? "s" : ""))
			.collect(Collectors.joining(", "));
	}

	static String clip(String text, int width) {
		return (text.length() > width) ? text.substring(0, width - 3) + "..." : text;
	}

	static String oneLine(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

}

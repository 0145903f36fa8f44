package org.imageferry.report;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.RunItem;

/**
 * The {@code status} table: where each image of a run stands — state, target image,
 * failure code and explanation, bytes, and time in each phase (a phase still under way
 * counts up to now).
 */
public final class StatusTable {

	private StatusTable() {
	}

	public static void print(List<RunItem> items, Instant now, PrintStream out) {
		out.printf("%5s  %-36s  %-16s  %-36s  %-15s  %10s  %8s  %8s  %8s  %s%n", "line", "source image", "state",
				"target image", "code", "bytes", "export", "transfer", "import", "explanation");
		for (RunItem item : items) {
			ImageRecord image = item.image();
			String state = (image == null) ? Outcome.of(item).label()
					: (item.disposition() == RunItem.Disposition.ALREADY_MIGRATED) ? "already migrated"
							: image.state().name().toLowerCase();
			out.printf("%5d  %-36s  %-16s  %-36s  %-15s  %10s  %8s  %8s  %8s  %s%n", item.line(),
					clip(item.sourceImageId()), state,
					(image != null && image.targetImageId() != null) ? image.targetImageId() : "-",
					(image != null && image.failureCode() != null) ? image.failureCode()
							: (image == null) ? "MANIFEST" : "",
					(image != null && image.bytesMoved() != null) ? image.bytesMoved().toString() : "",
					(image != null) ? span(image.exportStartedAt(), image.exportEndedAt(), now) : "",
					(image != null) ? span(image.transferStartedAt(), image.transferEndedAt(), now) : "",
					(image != null) ? span(image.importStartedAt(), image.importEndedAt(), now) : "",
					(image == null) ? item.problem()
							: (image.failureMessage() != null) ? image.failureMessage().replaceAll("\\s+", " ") : "");
		}
		out.println(OutcomeTable.summary(items));
	}

	static String span(Instant from, Instant to, Instant now) {
		if (from == null) {
			return "";
		}
		long seconds = Duration.between(from, (to != null) ? to : now).toSeconds();
		return (seconds >= 3600) ? (seconds / 3600) + "h" + String.format("%02dm", (seconds % 3600) / 60)
				: (seconds / 60) + "m" + String.format("%02ds", seconds % 60);
	}

	private static String clip(String text) {
		return (text.length() > 36) ? text.substring(0, 33) + "..." : text;
	}

}

package org.imageferry.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.imageferry.report.ReportRows.Phase;
import org.imageferry.report.ReportRows.Row;

/**
 * A run's report as CSV (RFC 4180, CRLF line ends), one row per manifest line and target
 * ({@code target}, the last column, so older readers keep their columns), in manifest
 * order; {@code target_name} is the name the image gets in the target (the manifest's,
 * else the source image's), the phase seconds leave out the time the run was not running
 * between executions; {@code properties_not_copied} lists a migrated image's refused
 * properties, separated by spaces, and {@code leftover_objects}, separated by
 * {@code "; "}, what an image's clean-up left behind. When workers copied, a last column,
 * {@code worker}, names the one that moved each image (empty for an image none copied); a
 * run on one host has no such column, its report as it always was. Manifests may hold
 * hostile names, so a text cell that a spreadsheet would read as a formula is prefixed
 * with {@code '}.
 */
final class CsvReport {

	static final List<String> COLUMNS = List.of("line", "source_image_id", "outcome", "target_image_id", "target_name",
			"failure_code", "explanation", "bytes", "export_seconds", "transfer_seconds", "import_seconds",
			"finish_seconds", "total_seconds", "properties_not_copied", "leftover_objects", "target");

	private CsvReport() {
	}

	/** The last column when workers copied: which one moved the image. */
	static final String WORKER = "worker";

	static String render(List<Row> rows) {
		boolean workers = ReportRows.anyWorker(rows);
		StringBuilder csv = new StringBuilder();
		List<String> columns = new ArrayList<>(COLUMNS);
		if (workers) {
			columns.add(WORKER);
		}
		line(csv, columns);
		for (Row row : rows) {
			List<String> cells = new ArrayList<>();
			cells.add(Integer.toString(row.line()));
			cells.add(text(row.sourceImageId()));
			cells.add(text(row.outcome().label()));
			cells.add(text(row.targetImageId()));
			cells.add(text(row.name()));
			cells.add(text(row.failureCode()));
			cells.add(text(row.explanation()));
			cells.add((row.bytes() != null) ? row.bytes().toString() : "");
			for (Phase phase : Phase.values()) {
				cells.add(seconds(row.duration(phase)));
			}
			cells.add(seconds(row.total()));
			cells.add((row.image() != null) ? text(String.join(" ", row.image().propertiesNotCopied())) : "");
			cells.add(text(String.join("; ", row.leftovers())));
			cells.add(text(row.target()));
			if (workers) {
				cells.add(text(row.worker()));
			}
			line(csv, cells);
		}
		return csv.toString();
	}

	private static void line(StringBuilder csv, List<String> cells) {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				csv.append(',');
			}
			csv.append(quoted(cells.get(i)));
		}
		csv.append("\r\n");
	}

	/**
	 * A text cell, defused: a leading {@code = + - @}, tab or carriage return makes
	 * spreadsheets evaluate the cell, so such a cell starts with {@code '} instead.
	 */
	static String text(String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		return ("=+-@\t\r".indexOf(value.charAt(0)) >= 0) ? "'" + value : value;
	}

	private static String quoted(String cell) {
		boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
				|| cell.indexOf('\r') >= 0;
		return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
	}

	private static String seconds(Duration duration) {
		BigDecimal seconds = ReportRows.seconds(duration);
		return (seconds != null) ? seconds.toPlainString() : "";
	}

}

package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.imageferry.report.ReportRows.Phase;
import org.imageferry.report.ReportRows.Row;
import org.imageferry.report.ReportRows.Totals;

/**
 * A run's report as one self-contained HTML page (no external stylesheets, scripts, fonts
 * or images, so it can be mailed or archived as it is): the run, the totals, the
 * timeline, a table of the images with failures first, and what clean-ups left behind. A
 * run stopped and restarted is shown whole: its executions, its wall and active time, and
 * the pauses between executions on the timeline. Everything from the manifest, the clouds
 * or the ledger is escaped.
 */
final class HtmlReport {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final String STYLE = """
			body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #222;
			  margin: 24px; max-width: 1200px; }
			h1 { font-size: 22px; margin: 0 0 12px; }
			h2 { font-size: 17px; margin: 28px 0 8px; }
			table.run th { text-align: left; font-weight: normal; color: #666; padding: 2px 16px 2px 0; }
			table.run td { padding: 2px 0; }
			.status { font-weight: bold; padding: 1px 6px; border-radius: 3px; background: #e8f1e6; }
			.status.bad { background: #fbe3e3; color: #a11; }
			.totals { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; }
			.totals li { list-style: none; border: 1px solid #ddd; border-radius: 4px; padding: 6px 12px;
			  min-width: 90px; }
			.totals b { display: block; font-size: 20px; }
			.totals .bad b { color: #c22; }
			.note { color: #666; font-size: 12px; margin: 4px 0 8px; }
			.timeline { overflow-x: auto; }
			table.images { border-collapse: collapse; font-size: 12px; }
			table.images th { text-align: left; background: #eef0f3; padding: 4px 6px; white-space: nowrap; }
			table.images td { border-top: 1px solid #e3e3e3; padding: 3px 6px; vertical-align: top; }
			table.images td.num { text-align: right; white-space: nowrap; }
			table.images td.id { font-family: "DejaVu Sans Mono", monospace; font-size: 11px; }
			tr.failed td.outcome, tr.invalid td.outcome { color: #c22; font-weight: bold; }
			td.explanation { max-width: 380px; overflow-wrap: anywhere; }
			tr.warning td.outcome, tr.warning td.explanation { color: #a35a00; }
			""";

	private HtmlReport() {
	}

	static String render(RunSummary run, List<Row> rows) {
		Totals totals = ReportRows.totals(rows);
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
		html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
		html.append("<title>image-ferry run ").append(run.runId()).append(" (execution ");
		html.append(run.executionId()).append(")</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n");
		html.append("<body>\n<h1>image-ferry run ").append(run.runId()).append(" <small>(execution ");
		html.append(run.executionId()).append(")</small></h1>\n");
		header(html, run);
		totals(html, totals);
		html.append("<h2>Timeline</h2>\n");
		Instant start = TimelineSvg.start(rows);
		if (start != null) {
			html.append("<p class=\"note\">Time since the first export started (").append(time(start));
			html.append("). Hover over a bar for the time spent in a phase.");
			if (!run.pauses().list().isEmpty()) {
				html.append(" Shaded bands: the run was not running, between an execution's end and the ");
				html.append("next one's start; the phase times leave them out.");
			}
			html.append("</p>\n");
		}
		html.append("<div class=\"timeline\">\n").append(TimelineSvg.render(rows, run.pauses())).append("</div>\n");
		images(html, ReportRows.failuresFirst(rows));
		leftovers(html, rows);
		html.append("</body>\n</html>\n");
		return html.toString();
	}

	private static void header(StringBuilder html, RunSummary run) {
		boolean bad = !"COMPLETED".equals(run.status());
		html.append("<table class=\"run\">\n");
		headerRow(html, "Route", escape(run.route()));
		headerRow(html, "Manifest", escape(run.manifest()));
		headerRow(html, "Profile", escape(run.profile()));
		headerRow(html, "Status",
				"<span class=\"status" + (bad ? " bad" : "") + "\">" + escape(run.status()) + "</span>");
		headerRow(html, "Started", escape(time(run.startedAt())));
		headerRow(html, "Ended", (run.endedAt() != null) ? escape(time(run.endedAt())) : "still running");
		headerRow(html, "Duration", escape(duration(run)));
		if (run.bandwidthCap() != null) {
			headerRow(html, "Bandwidth cap", escape(bandwidthCap(run.bandwidthCap())));
		}
		if (run.executions().size() > 1) {
			headerRow(html, "Executions",
					String.join("<br>",
							run.executions()
								.stream()
								.map((e) -> escape(e.id() + " " + e.status() + ": " + time(e.startedAt()) + " to "
										+ ((e.endedAt() != null) ? time(e.endedAt()) : "still running")))
								.toList()));
		}
		html.append("</table>\n");
	}

	/**
	 * @return e.g. {@code 50.0 MiB/s (bandwidth-limit 08:00,50MB/s 20:00,off,
	 * Europe/London)}: the cap in force when the report was written, and the setting
	 */
	static String bandwidthCap(RunSummary.BandwidthCap cap) {
		return ((cap.inForce() > 0) ? Units.bytes(cap.inForce()) + "/s" : "none now") + " (bandwidth-limit "
				+ cap.setting() + ", " + cap.zone() + ")";
	}

	/**
	 * @return the run's wall time, first start to last end, and beside it, when the run
	 * was paused between executions, the time it was running
	 */
	static String duration(RunSummary run) {
		Duration wall = run.wallTime();
		if (wall == null) {
			return "";
		}
		Duration paused = wall.minus(run.activeTime());
		return paused.isZero() ? Units.duration(wall) : Units.duration(wall) + " (active "
				+ Units.duration(run.activeTime()) + ", not running " + Units.duration(paused) + ")";
	}

	private static void headerRow(StringBuilder html, String name, String valueHtml) {
		html.append("<tr><th>").append(name).append("</th><td>").append(valueHtml).append("</td></tr>\n");
	}

	private static void totals(StringBuilder html, Totals totals) {
		html.append("<h2>Totals</h2>\n<ul class=\"totals\">\n");
		total(html, "migrated", Long.toString(totals.migrated()), false);
		total(html, "already migrated", Long.toString(totals.alreadyMigrated()), false);
		total(html, "failed", Long.toString(totals.failed()), totals.failed() > 0);
		total(html, "invalid lines", Long.toString(totals.invalid()), totals.invalid() > 0);
		total(html, "in progress", Long.toString(totals.inProgress()), false);
		total(html, "moved (" + String.format(Locale.ROOT, "%,d", totals.bytes()) + " bytes)",
				Units.bytes(totals.bytes()), false);
		html.append("</ul>\n");
	}

	private static void total(StringBuilder html, String label, String value, boolean bad) {
		html.append("<li").append(bad ? " class=\"bad\"" : "").append("><b>").append(escape(value));
		html.append("</b>").append(escape(label)).append("</li>\n");
	}

	/**
	 * The outcome table; with a {@code worker} column when workers copied (a run on one
	 * host has none).
	 */
	private static void images(StringBuilder html, List<Row> rows) {
		boolean workers = ReportRows.anyWorker(rows);
		html.append("<h2>Images <small>(failures first, then in manifest order)</small></h2>\n");
		html.append("<table class=\"images\">\n<tr><th>line</th><th>target</th><th>outcome</th><th>source image</th>");
		html.append("<th>target image</th><th>code</th><th>explanation</th><th>bytes</th>");
		for (Phase phase : Phase.values()) {
			html.append("<th>").append(phase.label()).append("</th>");
		}
		html.append("<th>total</th>").append(workers ? "<th>worker</th>" : "").append("</tr>\n");
		for (Row row : rows) {
			html.append("<tr class=\"").append(row.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
			if (row.image() != null && !row.image().propertiesNotCopied().isEmpty()) {
				html.append(" warning");
			}
			html.append("\"><td class=\"num\">").append(row.line()).append("</td>");
			html.append("<td>").append(escape(row.target())).append("</td>");
			html.append("<td class=\"outcome\">").append(escape(row.outcome().label())).append("</td>");
			html.append("<td class=\"id\">").append(escape(row.sourceImageId()));
			if (row.name() != null) {
				html.append("<br><span class=\"note\">").append(escape(row.name())).append("</span>");
			}
			html.append("</td><td class=\"id\">").append(escape(row.targetImageId())).append("</td>");
			html.append("<td>").append(escape(row.failureCode())).append("</td>");
			html.append("<td class=\"explanation\">").append(escape(row.explanation())).append("</td>");
			html.append("<td class=\"num\">").append((row.bytes() != null) ? escape(Units.bytes(row.bytes())) : "");
			html.append("</td>");
			for (Phase phase : Phase.values()) {
				html.append("<td class=\"num\">").append(escape(Units.duration(row.duration(phase)))).append("</td>");
			}
			html.append("<td class=\"num\">").append(escape(Units.duration(row.total()))).append("</td>");
			if (workers) {
				html.append("<td class=\"id\">").append(escape(row.worker())).append("</td>");
			}
			html.append("</tr>\n");
		}
		html.append("</table>\n");
	}

	/** What clean-ups left behind, when they did: the next run deletes it. */
	private static void leftovers(StringBuilder html, List<Row> rows) {
		List<Row> left = rows.stream().filter((row) -> !row.leftovers().isEmpty()).toList();
		if (left.isEmpty()) {
			return;
		}
		html.append("<h2>Left behind by clean-up</h2>\n<p class=\"note\">Exported objects of migrated images that ");
		html.append("could not be deleted yet; the next run deletes them.</p>\n");
		html.append(
				"<table class=\"images leftovers\">\n<tr><th>line</th><th>target</th><th>source image</th><th>objects</th></tr>\n");
		for (Row row : left) {
			html.append("<tr><td class=\"num\">").append(row.line()).append("</td><td>");
			html.append(escape(row.target())).append("</td><td class=\"id\">");
			html.append(escape(row.sourceImageId())).append("</td><td class=\"id\">");
			html.append(String.join("<br>", row.leftovers().stream().map(HtmlReport::escape).toList()));
			html.append("</td></tr>\n");
		}
		html.append("</table>\n");
	}

	static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append((c < 0x20 && c != '\n' && c != '\t') ? ' ' : c);
			}
		}
		return escaped.toString();
	}

	static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

}

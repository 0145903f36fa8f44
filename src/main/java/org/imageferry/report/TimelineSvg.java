package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.imageferry.report.ReportRows.Phase;
import org.imageferry.report.ReportRows.Row;
import org.imageferry.report.ReportRows.Span;

/**
 * The timeline picture of a run as inline SVG: one row per manifest line, each image's
 * bar split into its phases (export, transfer, import, finish), on a time axis from the
 * first phase's start to the last phase's end. A failed image's bar is outlined in red
 * with a cross at the failure; lines that never started a phase are listed without a bar.
 * When the run was stopped and restarted, each pause between executions is a shaded,
 * labelled band across all rows, and bars are cut there: no phase progressed in it.
 */
final class TimelineSvg {

	static final String EXPORT_COLOUR = "#4e79a7";

	static final String TRANSFER_COLOUR = "#f28e2b";

	static final String IMPORT_COLOUR = "#59a14f";

	static final String FINISH_COLOUR = "#bab0ac";

	static final String FAILURE_COLOUR = "#d62728";

	static final String PAUSE_COLOUR = "#d7d2e8";

	static final int WIDTH = 1000;

	private static final int PLOT_LEFT = 250;

	private static final int PLOT_RIGHT = WIDTH - 24;

	private static final int TOP = 58;

	private static final int ROW = 18;

	private static final int BAR = 12;

	private static final long[] STEPS = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
			43200, 86400 };

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private TimelineSvg() {
	}

	static String colour(Phase phase) {
		return switch (phase) {
			case EXPORT -> EXPORT_COLOUR;
			case TRANSFER -> TRANSFER_COLOUR;
			case IMPORT -> IMPORT_COLOUR;
			case FINISH -> FINISH_COLOUR;
		};
	}

	/**
	 * @return the first phase's start of any image, or {@code null} if none started
	 */
	static Instant start(List<Row> rows) {
		return rows.stream().map(Row::start).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
	}

	static Instant end(List<Row> rows) {
		return rows.stream()
			.filter((row) -> !row.spans().isEmpty())
			.flatMap((row) -> Stream.of(row.end(), row.failedAt()))
			.filter(Objects::nonNull)
			.max(Instant::compareTo)
			.orElse(null);
	}

	/**
	 * @param rows the run's rows
	 * @param pauses when the run was not running (between its executions)
	 */
	static String render(List<Row> rows, Pauses pauses) {
		Instant start = start(rows);
		Instant end = end(rows);
		long millis = (start != null && end != null) ? Math.max(1, Duration.between(start, end).toMillis()) : 1;
		Scale scale = new Scale(start, millis);
		List<Pauses.Pause> shown = (start != null && end != null) ? pauses.list()
			.stream()
			.filter((pause) -> pause.to().isAfter(start) && pause.from().isBefore(end))
			.toList() : List.of();
		int height = TOP + rows.size() * ROW + 34 + (shown.isEmpty() ? 0 : 18);
		StringBuilder svg = new StringBuilder();
		svg.append("<svg id=\"timeline\" width=\"").append(WIDTH).append("\" height=\"").append(height);
		svg.append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\"");
		svg.append(" aria-label=\"Timeline: one bar per image, coloured by phase\"");
		svg.append(" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"12\">\n");
		legend(svg, !shown.isEmpty());
		int bottom = TOP + rows.size() * ROW;
		for (int i = 0; i < rows.size(); i++) {
			if (i % 2 == 1) {
				svg.append(String.format(Locale.ROOT,
						"<rect class=\"stripe\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f5f7\"/>\n",
						TOP + i * ROW, WIDTH, ROW));
			}
		}
		shown.forEach((pause) -> pause(svg, pause, scale, bottom));
		if (start != null) {
			axis(svg, scale, bottom);
		}
		else {
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%d\" y=\"%d\" fill=\"#666\">no image started a phase in this run</text>\n", PLOT_LEFT,
					TOP - 10));
		}
		for (int i = 0; i < rows.size(); i++) {
			row(svg, rows.get(i), TOP + i * ROW, (start != null) ? scale : null);
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	/**
	 * A pause as a band from the axis to the bottom, labelled below the axis with why and
	 * how long; a band cut by the timeline's ends shows the part inside.
	 */
	private static void pause(StringBuilder svg, Pauses.Pause pause, Scale scale, int bottom) {
		double from = Math.max(PLOT_LEFT, scale.x(pause.from()));
		double to = Math.min(PLOT_RIGHT, scale.x(pause.to()));
		String text = pause.label() + " " + Units.duration(pause.duration());
		svg.append(String.format(Locale.ROOT,
				"<g class=\"pause\"><rect class=\"pause-band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
						+ "fill=\"%s\"><title>%s: the run was not running from execution %d's end to the next "
						+ "execution's start; phase times leave it out</title></rect>"
						+ "<text class=\"pause-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#5a4f85\" "
						+ "font-size=\"11\">%s</text></g>\n",
				from, TOP, Math.max(2, to - from), bottom - TOP, PAUSE_COLOUR, HtmlReport.escape(text), pause.after(),
				(from + to) / 2, bottom + 32, HtmlReport.escape(text)));
	}

	private static void legend(StringBuilder svg, boolean pauses) {
		int x = PLOT_LEFT;
		for (Phase phase : Phase.values()) {
			svg.append(String.format(Locale.ROOT,
					"<rect class=\"legend-swatch\" x=\"%d\" y=\"6\" width=\"14\" height=\"12\" fill=\"%s\"/>"
							+ "<text x=\"%d\" y=\"16\">%s</text>\n",
					x, colour(phase), x + 19, phase.label()));
			x += 100;
		}
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"6\" width=\"14\" height=\"12\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"2\"/>", x,
				FAILURE_COLOUR));
		cross(svg, x + 7, 12, "legend-failure");
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\">failed</text>\n", x + 19));
		if (pauses) {
			x += 100;
			svg.append(String.format(Locale.ROOT,
					"<rect class=\"legend-pause\" x=\"%d\" y=\"6\" width=\"14\" height=\"12\" fill=\"%s\"/>"
							+ "<text x=\"%d\" y=\"16\">not running</text>\n",
					x, PAUSE_COLOUR, x + 19));
		}
	}

	private static void axis(StringBuilder svg, Scale scale, int bottom) {
		long seconds = Math.max(1, (scale.millis + 999) / 1000);
		long step = STEPS[STEPS.length - 1];
		for (long candidate : STEPS) {
			if (seconds / candidate <= 8) {
				step = candidate;
				break;
			}
		}
		boolean hours = seconds >= 3600;
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">elapsed (%s)</text>\n", PLOT_LEFT - 34,
				TOP - 10, hours ? "h:mm:ss" : "m:ss"));
		svg.append(String.format(Locale.ROOT,
				"<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", PLOT_LEFT, TOP,
				PLOT_RIGHT, TOP));
		for (long t = 0; t * 1000 <= scale.millis; t += step) {
			double x = scale.x(scale.start.plusSeconds(t));
			String label = elapsed(t, hours);
			svg.append(String.format(Locale.ROOT,
					"<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dde\"/>"
							+ "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>"
							+ "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>"
							+ "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>\n",
					x, TOP, x, bottom, x, TOP - 4, x, TOP, x, TOP - 10, label, x, bottom + 16, label));
		}
	}

	private static void row(StringBuilder svg, Row row, int y, Scale scale) {
		boolean failed = row.outcome().failed();
		String labelColour = failed ? FAILURE_COLOUR : "#222";
		svg.append(String.format(Locale.ROOT,
				"<text class=\"row-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">"
						+ "<tspan fill=\"#888\">%d</tspan>  %s</text>\n",
				PLOT_LEFT - 10, y + 13, labelColour, row.line(), HtmlReport.escape(clip(label(row), 28))));
		List<Span> spans = row.spans().stream().filter((span) -> span.end() != null).toList();
		if (scale == null || spans.isEmpty()) {
			svg.append(String.format(Locale.ROOT,
					"<text class=\"no-bar\" x=\"%d\" y=\"%d\" fill=\"%s\" font-style=\"italic\">%s</text>\n",
					PLOT_LEFT + 6, y + 13, failed ? FAILURE_COLOUR : "#777", HtmlReport.escape(clip(noBar(row), 100))));
			return;
		}
		svg.append("<g class=\"bar").append(failed ? " failed" : "").append("\">");
		for (Span span : spans) {
			boolean cut = failed && span.cut();
			List<Pauses.Part> parts = span.activeParts();
			for (Pauses.Part part : parts) {
				double x = scale.x(part.start());
				double width = Math.max(1.5, scale.x(part.end()) - x);
				svg.append(String.format(Locale.ROOT,
						"<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s>",
						span.phase().cssClass(), x, y + (ROW - BAR) / 2, width, BAR, colour(span.phase()),
						cut ? " stroke=\"" + FAILURE_COLOUR + "\" stroke-width=\"2\"" : ""));
				svg.append("<title>line ").append(row.line()).append(' ').append(span.phase().label()).append(": ");
				svg.append(Units.duration(span.duration())).append(cut ? " (failed)" : "");
				svg.append((parts.size() > 1) ? ", not counting the time the run was not running" : "");
				svg.append("</title></rect>");
			}
		}
		if (failed && row.failedAt() != null) {
			double x = scale.x(row.failedAt()) + 6;
			cross(svg, x, y + ROW / 2.0, "failure-marker");
			String code = (row.failureCode() != null) ? clip(row.failureCode(), 16) : "";
			if (x + 10 + code.length() * 7 < WIDTH) {
				svg.append(String.format(Locale.ROOT,
						"<text class=\"failure-code\" x=\"%.1f\" y=\"%d\" fill=\"%s\" font-size=\"11\">%s</text>",
						x + 9, y + 13, FAILURE_COLOUR, HtmlReport.escape(code)));
			}
		}
		svg.append("</g>\n");
	}

	private static void cross(StringBuilder svg, double x, double y, String cssClass) {
		svg.append(String.format(Locale.ROOT,
				"<path class=\"%s\" d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" stroke-width=\"2.2\" fill=\"none\"/>",
				cssClass, x - 4, y - 4, FAILURE_COLOUR));
	}

	private static String label(Row row) {
		if (row.name() != null && !row.name().isBlank()) {
			return row.name();
		}
		String id = (row.sourceImageId() != null) ? row.sourceImageId() : "";
		return UUID.matcher(id).matches() ? id.substring(0, 8) : id;
	}

	private static String noBar(Row row) {
		return switch (row.outcome()) {
			case ALREADY_MIGRATED -> "already migrated by an earlier run";
			case INVALID -> "invalid line: " + oneLine(row.explanation());
			case FAILED -> "failed before export: " + ((row.failureCode() != null) ? row.failureCode() + " " : "")
					+ oneLine(row.explanation());
			case IN_PROGRESS -> "not started";
			case MIGRATED -> "migrated (no timings recorded)";
		};
	}

	private static String oneLine(String text) {
		return (text != null) ? text.replaceAll("\\s+", " ").strip() : "";
	}

	private static String clip(String text, int width) {
		return (text.length() > width) ? text.substring(0, width - 1) + "…" : text;
	}

	static String elapsed(long seconds, boolean hours) {
		return hours ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
				: String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
	}

	private record Scale(Instant start, long millis) {

		double x(Instant instant) {
			double fraction = Duration.between(this.start, instant).toMillis() / (double) this.millis;
			return PLOT_LEFT + fraction * (PLOT_RIGHT - PLOT_LEFT);
		}

	}

}

package org.imageferry.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;

/**
 * A run's items as report rows: one per manifest line and target, with its outcome,
 * failure code and explanation, and the time spent in each phase. The CSV, JSON and HTML
 * reports all read these, so a phase's duration means the same everywhere: its wall time
 * less the run's {@link Pauses pauses} between executions within it.
 */
final class ReportRows {

	private ReportRows() {
	}

	/**
	 * @param run the run; a phase still running ends, in the report, at the run's end
	 * @param items the run's items, in manifest order
	 */
	static List<Row> of(RunSummary run, List<RunItem> items) {
		return asOf(run.endedAt(), run.pauses(), items);
	}

	/**
	 * @param until where a phase still running ends (now, for a live status), or null for
	 * no end
	 * @param pauses when the run was not running, left out of phase times
	 * @param items a run's items, in manifest order
	 */
	static List<Row> asOf(Instant until, Pauses pauses, List<RunItem> items) {
		return items.stream().map((item) -> row(until, pauses, item)).toList();
	}

	/**
	 * @param items a run's items, in manifest order
	 * @return their rows, phases still running without an end
	 */
	static List<Row> of(List<RunItem> items) {
		return asOf(null, Pauses.NONE, items);
	}

	/**
	 * @return failed and invalid lines first, then the rest, each in manifest order
	 */
	static List<Row> failuresFirst(List<Row> rows) {
		return rows.stream()
			.sorted(Comparator.comparing((Row row) -> !row.outcome().failed()).thenComparingInt(Row::line))
			.toList();
	}

	/**
	 * Whether any row was moved by a worker: only then do the tables show a
	 * {@code worker} column, so a run on one host reads as it always did.
	 */
	static boolean anyWorker(List<Row> rows) {
		return rows.stream().anyMatch((row) -> row.worker() != null);
	}

	static Totals totals(List<Row> rows) {
		long[] counts = new long[Outcome.values().length];
		long bytes = 0;
		for (Row row : rows) {
			counts[row.outcome().ordinal()]++;
			bytes += (row.bytes() != null) ? row.bytes() : 0;
		}
		return new Totals(counts[Outcome.MIGRATED.ordinal()], counts[Outcome.ALREADY_MIGRATED.ordinal()],
				counts[Outcome.FAILED.ordinal()], counts[Outcome.INVALID.ordinal()],
				counts[Outcome.IN_PROGRESS.ordinal()], bytes);
	}

	/**
	 * @return seconds with three decimals, e.g. {@code 12.345}, or {@code null}
	 */
	static BigDecimal seconds(Duration duration) {
		return (duration != null) ? BigDecimal.valueOf(duration.toNanos(), 9).setScale(3, RoundingMode.HALF_UP) : null;
	}

	private static Row row(Instant runEnd, Pauses pauses, RunItem item) {
		Outcome outcome = Outcome.of(item);
		ImageRecord image = item.image();
		if (image == null) {
			String code = (outcome == Outcome.INVALID) ? "MANIFEST" : null;
			String explanation = (outcome == Outcome.INVALID) ? item.problem() : null;
			return new Row(item.line(), target(item), item.sourceImageId(), null, outcome, null, code, explanation,
					null, List.of(), null, null, pauses);
		}
		Instant failedAt = (outcome == Outcome.FAILED) ? image.finishedAt() : null;
		// A phase cut short by a failure ends at the failure; one still running when the
		// report is written ends at the run's end (if it ended).
		Instant cutOff = (outcome == Outcome.FAILED) ? image.finishedAt()
				: (outcome == Outcome.IN_PROGRESS) ? runEnd : null;
		List<Span> spans = new ArrayList<>();
		add(spans, Phase.EXPORT, image.exportStartedAt(), image.exportEndedAt(), cutOff, pauses);
		add(spans, Phase.TRANSFER, image.transferStartedAt(), image.transferEndedAt(), cutOff, pauses);
		add(spans, Phase.IMPORT, image.importStartedAt(), image.importEndedAt(), cutOff, pauses);
		if (image.importEndedAt() != null) {
			Instant finished = (outcome == Outcome.MIGRATED || outcome == Outcome.FAILED) ? image.finishedAt() : null;
			add(spans, Phase.FINISH, image.importEndedAt(), finished, cutOff, pauses);
		}
		String code = (outcome == Outcome.INVALID && image.failureCode() == null) ? "MANIFEST" : image.failureCode();
		String explanation = (outcome == Outcome.INVALID) ? item.problem()
				: (image.failureMessage() != null) ? image.failureMessage() : warning(image);
		return new Row(item.line(), target(item), item.sourceImageId(), image.importName(), outcome,
				image.targetImageId(), code, explanation, image.bytesMoved(), List.copyOf(spans), failedAt, image,
				pauses);
	}

	/**
	 * The item's target as the profile names it; for a run recorded before runs had
	 * several targets, the target end of its route ({@code IAD:alice}).
	 */
	private static String target(RunItem item) {
		if (!item.target().isEmpty() || item.image() == null) {
			return item.target();
		}
		String route = item.image().route();
		return route.substring(route.lastIndexOf('>') + 1);
	}

	/**
	 * What an operator should know about an image that migrated: the properties its
	 * target refused, or null when there is nothing to say.
	 */
	static String warning(ImageRecord image) {
		return image.propertiesNotCopied().isEmpty() ? null : "migrated with a warning: the target refused "
				+ String.join(", ", image.propertiesNotCopied()) + ", not copied";
	}

	private static void add(List<Span> spans, Phase phase, Instant start, Instant end, Instant cutOff, Pauses pauses) {
		if (start == null) {
			return;
		}
		Instant until = (end != null) ? end : cutOff;
		if (until != null && until.isBefore(start)) {
			until = start;
		}
		spans.add(new Span(phase, start, until, end == null, pauses));
	}

	/**
	 * A phase of an image's migration. {@code FINISH} is from the import's success to the
	 * metadata copied and clean-up done.
	 */
	enum Phase {

		EXPORT, TRANSFER, IMPORT, FINISH;

		String label() {
			return name().toLowerCase();
		}

		/**
		 * @return the CSS class of this phase's bar segments, e.g. {@code phase-export}
		 */
		String cssClass() {
			return "phase-" + label();
		}

	}

	/**
	 * Time an image spent in one phase.
	 *
	 * @param phase the phase
	 * @param start when it started
	 * @param end when it ended, or was cut short by a failure or the run's end;
	 * {@code null} if unknown
	 * @param cut whether the phase did not end by itself ({@code end} is a failure or the
	 * run's end)
	 * @param pauses when the run was not running
	 */
	record Span(Phase phase, Instant start, Instant end, boolean cut, Pauses pauses) {

		/**
		 * @return the time spent in the phase: from start to end, less the pauses
		 */
		Duration duration() {
			return (this.end != null) ? this.pauses.active(this.start, this.end) : null;
		}

		/**
		 * @return the parts of the phase during which the run was running
		 */
		List<Pauses.Part> activeParts() {
			return (this.end != null) ? this.pauses.activeParts(this.start, this.end) : List.of();
		}

	}

	/**
	 * One manifest line and target in a report.
	 *
	 * @param line the manifest line
	 * @param target the target's name (empty for an invalid line)
	 * @param sourceImageId the source image id as written in the manifest
	 * @param name the name the image gets in the target, if known
	 * @param outcome what became of it
	 * @param targetImageId the new image's id, if any
	 * @param failureCode the failure code ({@code MANIFEST} for an invalid line)
	 * @param explanation the failure's message or the manifest problem
	 * @param bytes bytes moved between regions
	 * @param spans the phases it went through, in order
	 * @param failedAt when it failed
	 * @param image its ledger row, or {@code null}
	 * @param pauses when the run was not running, left out of its times
	 */
	record Row(int line, String target, String sourceImageId, String name, Outcome outcome, String targetImageId,
			String failureCode, String explanation, Long bytes, List<Span> spans, Instant failedAt, ImageRecord image,
			Pauses pauses) {

		Span span(Phase phase) {
			return this.spans.stream().filter((span) -> span.phase() == phase).findFirst().orElse(null);
		}

		Duration duration(Phase phase) {
			Span span = span(phase);
			return (span != null) ? span.duration() : null;
		}

		/**
		 * @return the worker that moved the image ({@code host:pid/slot}), or null when
		 * the run's own process did (no workers) or nothing was copied
		 */
		String worker() {
			return (this.image != null) ? this.image.transferWorker() : null;
		}

		/**
		 * @return the exported objects the image's clean-up left behind, e.g.
		 * {@code source DFW exports/<id>.vhd}, for the next run to delete
		 */
		List<String> leftovers() {
			return (this.image != null) ? this.image.leftovers().stream().map(Leftover::toString).toList() : List.of();
		}

		Instant start() {
			return this.spans.isEmpty() ? null : this.spans.get(0).start();
		}

		Instant end() {
			return this.spans.stream()
				.map(Span::end)
				.filter(Objects::nonNull)
				.max(Comparator.naturalOrder())
				.orElse(null);
		}

		/**
		 * @return from the first phase's start to the last phase's end, less the pauses
		 */
		Duration total() {
			Instant start = start();
			Instant end = end();
			return (start != null && end != null) ? this.pauses.active(start, end) : null;
		}

	}

	/**
	 * How many lines came to each outcome, and the bytes moved.
	 */
	record Totals(long migrated, long alreadyMigrated, long failed, long invalid, long inProgress, long bytes) {

	}

}

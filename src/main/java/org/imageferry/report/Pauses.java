package org.imageferry.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.imageferry.report.RunSummary.Execution;

/**
 * When a run was not running: from the end of one execution to the start of the next (a
 * stop, a failure, a killed process, until {@code restart}). An image's phase that spans
 * a pause did not progress during it, so every phase time in the reports and
 * {@code status} is its wall time less the pauses within it — the arithmetic is here, in
 * one place.
 */
final class Pauses {

	static final Pauses NONE = new Pauses(List.of());

	private final List<Pause> pauses;

	private Pauses(List<Pause> pauses) {
		this.pauses = List.copyOf(pauses);
	}

	/**
	 * @param executions a run's executions, in order
	 * @return the intervals between them (none where an end or a start is unknown)
	 */
	static Pauses between(List<Execution> executions) {
		List<Pause> pauses = new ArrayList<>();
		for (int i = 1; i < executions.size(); i++) {
			Execution before = executions.get(i - 1);
			Instant resumed = executions.get(i).startedAt();
			if (before.endedAt() != null && resumed != null && resumed.isAfter(before.endedAt())) {
				pauses.add(new Pause(before.endedAt(), resumed, before.id(), before.why()));
			}
		}
		return new Pauses(pauses);
	}

	List<Pause> list() {
		return this.pauses;
	}

	/**
	 * @return the time within {@code [start, end]} the run was paused
	 */
	Duration within(Instant start, Instant end) {
		Duration paused = Duration.ZERO;
		for (Pause pause : this.pauses) {
			Instant from = max(start, pause.from());
			Instant to = min(end, pause.to());
			if (to.isAfter(from)) {
				paused = paused.plus(Duration.between(from, to));
			}
		}
		return paused;
	}

	/**
	 * @return the time within {@code [start, end]} the run was running
	 */
	Duration active(Instant start, Instant end) {
		Duration wall = Duration.between(start, end);
		return wall.isNegative() ? Duration.ZERO : wall.minus(within(start, end));
	}

	/**
	 * @return {@code [start, end]} cut at the pauses: the parts the run was running, in
	 * order (the whole interval when no pause falls within it)
	 */
	List<Part> activeParts(Instant start, Instant end) {
		List<Part> parts = new ArrayList<>();
		Instant from = start;
		for (Pause pause : this.pauses) {
			if (!pause.to().isAfter(from) || !pause.from().isBefore(end)) {
				continue;
			}
			if (pause.from().isAfter(from)) {
				parts.add(new Part(from, pause.from()));
			}
			from = pause.to();
		}
		if (end.isAfter(from) || parts.isEmpty()) {
			parts.add(new Part(from, max(from, end)));
		}
		return parts;
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	/**
	 * The run not running between two executions.
	 *
	 * @param from when execution {@code after} ended
	 * @param to when the next execution started
	 * @param after the execution that ended
	 * @param label why the run was not running, e.g. {@code stopped}, {@code failed} or
	 * {@code window closed} (see {@link Execution#why()})
	 */
	record Pause(Instant from, Instant to, long after, String label) {

		Duration duration() {
			return Duration.between(this.from, this.to);
		}

	}

	/**
	 * A part of an interval during which the run was running.
	 */
	record Part(Instant start, Instant end) {

	}

}

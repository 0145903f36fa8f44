package org.imageferry.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Progress;
import org.imageferry.report.Units;

/**
 * The rate and the time left of a run, from what this process has observed since it
 * started watching — never from bytes moved before (by an earlier process, before a
 * restart), which would make a restarted run look impossibly fast.
 * <ul>
 * <li>Bytes are the process's streamed count (sampled as they stream, see
 * {@code transfer/StreamedBytes}), or the ledger's bytes moved when workers copy in other
 * processes; the rate shown is over the last {@link #WINDOW}, so it follows what the run
 * does now.</li>
 * <li>The time left is the longer of two estimates, since exports, transfers and imports
 * run side by side and the slowest of them sets the end: bytes still to copy at the byte
 * rate, and cloud tasks still to run at the rate tasks have finished in this process.
 * When the recent window moved nothing (transfers waiting for exports), the byte rate of
 * the whole watch stands in for it.</li>
 * <li>When some work is left and no rate for it has been observed yet, the estimate is
 * {@code -}: not a guess.</li>
 * </ul>
 * Bytes the ledger does not count yet — the part of a segment streamed so far — are added
 * to the bytes moved, so a large image's bytes grow as they stream.
 */
final class Forecast {

	/** How far back the shown rate looks. */
	static final Duration WINDOW = Duration.ofSeconds(30);

	private final Clock clock;

	private final Deque<Sample> window = new ArrayDeque<>();

	private final Sample start;

	private Sample firstTasks;

	/**
	 * The ledger's bytes moved when first read, less what this watch had streamed by
	 * then: bytes moved before it, to which what it streams is added.
	 */
	private Long movedBefore;

	/**
	 * @param streamed the process's streamed bytes now: what it counted before is not
	 * this watch's
	 */
	Forecast(Clock clock, long streamed) {
		this.clock = clock;
		this.start = new Sample(clock.instant(), streamed);
		this.window.add(this.start);
	}

	/** Records the process's streamed bytes now. */
	synchronized void sample(long streamed) {
		Instant now = this.clock.instant();
		this.window.addLast(new Sample(now, streamed));
		// keep one sample at or before the window's start, so the rate spans the window
		Instant from = now.minus(WINDOW);
		while (this.window.size() > 2) {
			Sample first = this.window.removeFirst();
			if (this.window.getFirst().at().isAfter(from)) {
				this.window.addFirst(first);
				return;
			}
		}
	}

	/**
	 * The progress line: images done, bytes moved (the ledger's, or more when bytes
	 * streamed since are not in it yet), the recent rate, the time left.
	 */
	synchronized String line(Progress progress, long streamed) {
		return line(progress, streamed, 0);
	}

	/**
	 * The progress line, with the bandwidth cap in force beside the rate
	 * ({@code 49.8 MiB/s (cap 50.0 MiB/s)}) when there is one: a rate pinned at the cap
	 * is the cap's doing, not the network's.
	 * @param cap the cap in force, bytes a second; 0 for none
	 */
	synchronized String line(Progress progress, long streamed, long cap) {
		sample(streamed);
		long streamedHere = streamed - this.start.value();
		if (this.movedBefore == null) {
			this.movedBefore = progress.bytesMoved() - streamedHere;
		}
		long moved = Math.max(progress.bytesMoved(), this.movedBefore + streamedHere);
		long bytesLeft = Math.max(0, progress.bytesLeft() - (moved - progress.bytesMoved()));
		OptionalDouble rate = recentRate();
		Optional<Duration> eta = eta(bytesLeft, progress.tasksLeft());
		return String.format(Locale.ROOT, "%d/%d images (%d failed), %s moved, %s/s%s, ETA %s", progress.done(),
				progress.total(), progress.failed(), Units.bytes(moved),
				rate.isPresent() ? Units.bytes((long) rate.getAsDouble()) : "-",
				(cap > 0) ? " (cap " + Units.bytes(cap) + "/s)" : "", eta.map(Units::duration).orElse("-"));
	}

	/** Bytes per second over the last {@link #WINDOW}; empty before a second is seen. */
	synchronized OptionalDouble recentRate() {
		return rate(this.window.getFirst(), this.window.getLast());
	}

	/**
	 * The time left for the work left, at the rates observed; empty when work is left
	 * whose rate is not known yet.
	 */
	synchronized Optional<Duration> eta(long bytesLeft, int tasksLeft) {
		Instant now = this.clock.instant();
		if (this.firstTasks == null) {
			this.firstTasks = new Sample(now, tasksLeft);
		}
		double seconds = 0;
		if (bytesLeft > 0) {
			OptionalDouble rate = recentRate().stream().filter((r) -> r > 0).findFirst();
			if (rate.isEmpty()) {
				rate = rate(this.start, this.window.getLast()).stream().filter((r) -> r > 0).findFirst();
			}
			if (rate.isEmpty()) {
				return Optional.empty();
			}
			seconds = bytesLeft / rate.getAsDouble();
		}
		if (tasksLeft > 0) {
			double elapsed = Duration.between(this.firstTasks.at(), now).toMillis() / 1000.0;
			long finished = this.firstTasks.value() - tasksLeft;
			if (finished <= 0 || elapsed <= 0) {
				return Optional.empty();
			}
			seconds = Math.max(seconds, tasksLeft * elapsed / finished);
		}
		return Optional.of(Duration.ofSeconds(Math.round(seconds)));
	}

	private static OptionalDouble rate(Sample from, Sample to) {
		double seconds = Duration.between(from.at(), to.at()).toMillis() / 1000.0;
		return (seconds >= 1) ? OptionalDouble.of(Math.max(0, to.value() - from.value()) / seconds)
				: OptionalDouble.empty();
	}

	private record Sample(Instant at, long value) {
	}

}

package org.imageferry.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.imageferry.ledger.Ledger;
import org.imageferry.report.Units;

/**
 * Shows how far a run is while it runs. On a terminal: one live line, rewritten in place
 * (images done/total, bytes moved, rate, ETA). Under cron or systemd (no terminal): the
 * same facts as a plain log line at a steady interval, so a log file shows progress
 * without control characters.
 */
final class ProgressReporter implements AutoCloseable {

	private final Ledger ledger;

	private final LongSupplier run;

	private final PrintStream out;

	private final boolean terminal;

	private final Duration interval;

	private final Clock clock;

	private final Instant started;

	private final Thread thread;

	private volatile boolean closed;

	/**
	 * @param run the run's instance id, or 0 while it is not known yet
	 */
	ProgressReporter(Ledger ledger, LongSupplier run, PrintStream out, boolean terminal, Duration interval,
			Clock clock) {
		this.ledger = ledger;
		this.run = run;
		this.out = out;
		this.terminal = terminal;
		this.interval = interval;
		this.clock = clock;
		this.started = clock.instant();
		this.thread = new Thread(this::loop, "progress");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void loop() {
		while (!this.closed) {
			try {
				Thread.sleep(this.interval.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			long id = this.run.getAsLong();
			if (id > 0 && !this.closed) {
				try {
					String line = line(this.ledger.progress(id));
					this.out.print(this.terminal ? "\r" + line + "\u001B[K" : "progress: " + line + "\n");
					this.out.flush();
				}
				catch (RuntimeException ex) {
					// a busy database is no reason to stop the run: try again next time
				}
			}
		}
	}

	String line(Ledger.Progress progress) {
		double seconds = Math.max(1, Duration.between(this.started, this.clock.instant()).toMillis() / 1000.0);
		double rate = progress.bytesMoved() / seconds;
		long remaining = Math.max(0, progress.bytesKnown() - progress.bytesMoved());
		String eta = (rate > 0 && remaining > 0) ? Units.duration(Duration.ofSeconds((long) (remaining / rate))) : "-";
		return String.format(Locale.ROOT, "%d/%d images (%d failed), %s moved, %s/s, ETA %s", progress.done(),
				progress.total(), progress.failed(), Units.bytes(progress.bytesMoved()), Units.bytes((long) rate), eta);
	}

	@Override
	public void close() {
		this.closed = true;
		this.thread.interrupt();
		if (this.terminal) {
			this.out.print("\r\u001B[K");
			this.out.flush();
		}
	}

}

package org.imageferry.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Progress;

/**
 * Shows how far a run is while it runs. On a terminal: one live line at the bottom,
 * rewritten in place every second (images done/total, bytes moved, rate, ETA), with log
 * lines put above it ({@link LiveLine}). Under cron or systemd (no terminal): the same
 * facts as a plain {@code progress:} line at a steady interval, so a log file shows
 * progress without control characters. Either way the streamed bytes are sampled every
 * second, so the rate is over a recent window ({@link Forecast}) whatever the interval.
 * When workers copy, this process streams nothing: the bytes moved are then the ledger's,
 * which the workers write segment by segment, read every second instead — else the rate
 * would read about 0 while the workers move hundreds of MB a second.
 */
final class ProgressReporter implements AutoCloseable {

	private static final Duration TICK = Duration.ofSeconds(1);

	private final Ledger ledger;

	private final LongSupplier run;

	private final LongSupplier streamed;

	private final LongSupplier cap;

	private final PrintStream out;

	private final LiveLine live;

	private final Duration interval;

	private final Clock clock;

	/**
	 * Made with the first count of bytes: at once from this process's streams, at the
	 * run's first ledger reading when the ledger counts them.
	 */
	private Forecast forecast;

	private final Thread thread;

	private volatile boolean closed;

	/**
	 * @param run the run's instance id, or 0 while it is not known yet
	 * @param streamed the bytes this process has streamed so far; null when workers
	 * (other processes) copy: then the ledger's bytes moved
	 * @param cap the bandwidth cap in force, bytes a second, 0 for none
	 * @param terminal whether {@code out} is a terminal: a live line, else plain lines
	 * @param verbose whether INFO log lines show on a terminal
	 */
	ProgressReporter(Ledger ledger, LongSupplier run, LongSupplier streamed, LongSupplier cap, PrintStream out,
			boolean terminal, boolean verbose, Duration interval, Clock clock) {
		this.ledger = ledger;
		this.run = run;
		this.streamed = streamed;
		this.cap = cap;
		this.out = out;
		this.live = terminal ? new LiveLine(out, verbose) : null;
		this.interval = interval;
		this.clock = clock;
		this.forecast = (streamed != null) ? new Forecast(clock, streamed.getAsLong()) : null;
		this.thread = new Thread(this::loop, "progress");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Every tick samples the streamed bytes; the ledger is read as soon as the run is
	 * known (the forecast's starting point) and then at each interval, when the line is
	 * shown — or every tick, when it is what counts the bytes.
	 */
	private void loop() {
		Duration tick = (this.interval.compareTo(TICK) < 0) ? this.interval : TICK;
		Instant next = this.clock.instant().plus(this.interval);
		boolean started = false;
		while (!this.closed) {
			try {
				Thread.sleep(tick.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			boolean due = !this.clock.instant().isBefore(next);
			boolean fromLedger = this.streamed == null;
			long id = (due || !started || fromLedger) ? this.run.getAsLong() : 0;
			if (id <= 0) {
				if (!fromLedger) {
					this.forecast.sample(this.streamed.getAsLong());
				}
				continue;
			}
			try {
				Progress progress = this.ledger.progress(id);
				long moved = fromLedger ? progress.bytesMoved() : this.streamed.getAsLong();
				if (this.forecast == null) {
					this.forecast = new Forecast(this.clock, moved);
				}
				String line = this.forecast.line(progress, moved, this.cap.getAsLong());
				started = true;
				if (due && !this.closed) {
					next = this.clock.instant().plus(this.interval);
					show(line);
				}
			}
			catch (RuntimeException ex) {
				// a busy database is no reason to stop the run: try again next time
			}
		}
	}

	private void show(String line) {
		if (this.live != null) {
			this.live.show(line);
		}
		else {
			this.out.print("progress: " + line + "\n");
			this.out.flush();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.thread.interrupt();
		if (this.live != null) {
			this.live.close();
		}
	}

}

package org.imageferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * The live progress line at the bottom of a terminal, with everything else the process
 * prints on standard output while it is shown put above it: the line is cleared, the text
 * written, the line drawn again. Without this, a log line written while the live line is
 * on screen lands on its end ({@code …ETA 13m 57s17:01:59 INFO …}).
 * <p>
 * It catches standard output as a whole ({@link System#setOut}) rather than hooking one
 * logging appender: Logback's console appender writes to whatever {@code System.out} is
 * at the time, and so does everything else, so nothing can slip past it. Standard error
 * is left alone: it may be redirected elsewhere, and image-ferry writes to it only once
 * the run is over.
 * <p>
 * On a terminal the per-image INFO lines ("export of … started", "transfer of … done")
 * are chatter beside a line that counts the same images, so while the live line is shown
 * only warnings and errors are logged, unless {@code --verbose} asks for them.
 */
final class LiveLine implements AutoCloseable {

	/** Back to the line's start, and erase the line. */
	private static final String CLEAR = "\r\u001B[2K";

	private static final String LOGGERS = "org.imageferry";

	private final PrintStream terminal;

	private final PrintStream previous;

	private final LoggingSystem logging;

	private final LogLevel level;

	private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

	private String shown = "";

	private boolean closed;

	/**
	 * Starts putting standard output above the line.
	 * @param terminal the terminal, the standard output as the process started with it
	 * @param verbose whether INFO lines are logged (above the line) too
	 */
	LiveLine(PrintStream terminal, boolean verbose) {
		this.terminal = terminal;
		this.previous = System.out;
		this.logging = LoggingSystem.get(LiveLine.class.getClassLoader());
		this.level = this.logging.getLoggerConfiguration(LOGGERS).getConfiguredLevel();
		if (!verbose) {
			this.logging.setLogLevel(LOGGERS, LogLevel.WARN);
		}
		System.setOut(new PrintStream(new Above(), true, encoding()));
	}

	/** Shows this text as the live line, in place of the one before. */
	synchronized void show(String line) {
		if (this.closed) {
			return;
		}
		this.shown = line;
		this.terminal.print("\r" + line + "\u001B[K");
		this.terminal.flush();
	}

	/** Writes text above the live line, which is drawn again below it. */
	private synchronized void above(byte[] bytes, int offset, int length) {
		for (int i = offset; i < offset + length; i++) {
			this.pending.write(bytes[i]);
			if (bytes[i] == '\n') {
				this.terminal.print(CLEAR);
				this.terminal.write(this.pending.toByteArray(), 0, this.pending.size());
				this.pending.reset();
				if (!this.closed) {
					this.terminal.print(this.shown + "\u001B[K");
				}
			}
		}
		this.terminal.flush();
	}

	/**
	 * Erases the live line and gives standard output (and the log level) back; text still
	 * waiting for its end of line is written.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			System.setOut(this.previous);
		}
		this.logging.setLogLevel(LOGGERS, this.level);
		flushPending();
	}

	private synchronized void flushPending() {
		this.terminal.print(CLEAR);
		this.terminal.write(this.pending.toByteArray(), 0, this.pending.size());
		this.pending.reset();
		this.terminal.flush();
	}

	/** The encoding the JDK gave standard output (a terminal's, when there is one). */
	private static Charset encoding() {
		String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
		return (name != null && Charset.isSupported(name)) ? Charset.forName(name) : Charset.defaultCharset();
	}

	private final class Above extends OutputStream {

		@Override
		public void write(int b) {
			above(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			above(bytes, offset, length);
		}

	}

}

package org.imageferry.simulator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.LongSupplier;

/**
 * One simulated host's network link: a token bucket that object bodies cross at its rate.
 * A caller takes what it moves, then sleeps off any debt outside the lock: callers on one
 * link queue behind each other's debt, so together they get the rate, each an even share.
 * After standing idle a link lets a twentieth of a second's worth through at once.
 */
final class HostLink {

	/** A link without a cap: it never waits. */
	static final HostLink UNLIMITED = new HostLink(0, () -> 0, (nanos) -> {
	});

	private static final long BURST_NANOS = 50_000_000L;

	private static final int QUANTUM = 64 * 1024;

	/** What sleeping a while is; tests of the bucket's arithmetic pass their own. */
	interface Sleeper {

		Sleeper THREAD = (nanos) -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));

		void sleep(long nanos) throws InterruptedException;

	}

	private final double bytesPerNano;

	private final double burst;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	private double tokens;

	private long last;

	HostLink(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
		this.bytesPerNano = bytesPerSecond / 1e9;
		this.burst = this.bytesPerNano * BURST_NANOS;
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		this.tokens = this.burst;
		this.last = nanoTime.getAsLong();
	}

	/** Lets {@code bytes} cross the link, waiting as long as the rate asks. */
	void pass(long bytes) throws InterruptedIOException {
		if (this.bytesPerNano == 0 || bytes <= 0) {
			return;
		}
		long wait;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.bytesPerNano) - bytes;
			this.last = now;
			wait = (this.tokens < 0) ? (long) Math.ceil(-this.tokens / this.bytesPerNano) : 0;
		}
		try {
			if (wait > 0) {
				this.sleeper.sleep(wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for the simulated host's link");
		}
	}

	/**
	 * {@code in} read across this link, a quantum at a time: each read waits for up to 64
	 * KiB and passes them at once. Jetty hands a body over in 8 KiB pieces, and a link
	 * that slept for each would depend on how soon a busy machine wakes its threads; and
	 * readers on one link take turns, so equal turns make equal shares. Without a cap,
	 * {@code in} itself.
	 */
	InputStream reading(InputStream in) {
		if (this.bytesPerNano == 0) {
			return in;
		}
		return new FilterInputStream(in) {

			@Override
			public int read() throws IOException {
				int b = super.read();
				pass((b < 0) ? 0 : 1);
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int wanted = Math.min(length, QUANTUM);
				int n = this.in.readNBytes(buffer, offset, wanted);
				pass(n);
				return (n == 0 && wanted > 0) ? -1 : n;
			}

		};
	}

}

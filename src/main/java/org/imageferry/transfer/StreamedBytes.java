package org.imageferry.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes this process has streamed between regions, counted as each buffer of a segment
 * copy is read — not per finished segment, which at 1,000 MB a segment would leave the
 * progress line still for minutes and then jump. A copy that fails takes its bytes back
 * (it is sent again whole), so the count is what is on its way or arrived.
 * <p>
 * One count per process, on purpose: a rate is what this process moves. The progress line
 * reads how the count grows while it watches, never its absolute value, so bytes moved
 * before a restart (by another process) never inflate the rate.
 */
public final class StreamedBytes {

	private static final LongAdder COUNT = new LongAdder();

	private StreamedBytes() {
	}

	/** Bytes streamed by this process so far. */
	public static long total() {
		return COUNT.sum();
	}

	/**
	 * A segment body that adds what is read from it to the count as it is read, held to
	 * the cap ({@link BandwidthCap#NONE}: none): where bytes are counted as streamed is
	 * where they are held back. {@link Counting#takeBack} removes them from the count
	 * again when the copy failed.
	 */
	static Counting counting(InputStream body, BandwidthCap cap) {
		return new Counting(body, cap);
	}

	static final class Counting extends FilterInputStream {

		private final BandwidthCap cap;

		private long read;

		private Counting(InputStream body, BandwidthCap cap) {
			super(body);
			this.cap = cap;
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				counted(n);
			}
			return n;
		}

		private void counted(long n) throws InterruptedIOException {
			this.read += n;
			COUNT.add(n);
			try {
				this.cap.take(n);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("interrupted while held to the bandwidth limit");
			}
		}

		/** The copy failed: its bytes were not moved after all. */
		void takeBack() {
			COUNT.add(-this.read);
			this.read = 0;
		}

	}

}

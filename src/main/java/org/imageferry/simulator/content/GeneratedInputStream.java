package org.imageferry.simulator.content;

import java.io.InputStream;
import java.util.Objects;

/**
 * A stream over bytes computed on demand, so that reading, skipping and slicing cost
 * nothing beyond the bytes actually read.
 */
final class GeneratedInputStream extends InputStream {

	private final Source source;

	private final long end;

	private long position;

	GeneratedInputStream(Source source, long offset, long length) {
		this.source = source;
		this.position = offset;
		this.end = offset + length;
	}

	@Override
	public int read() {
		if (this.position >= this.end) {
			return -1;
		}
		byte[] one = new byte[1];
		this.source.fill(this.position++, one, 0, 1);
		return one[0] & 0xFF;
	}

	@Override
	public int read(byte[] b, int off, int len) {
		Objects.checkFromIndexSize(off, len, b.length);
		if (len == 0) {
			return 0;
		}
		if (this.position >= this.end) {
			return -1;
		}
		int n = (int) Math.min(len, this.end - this.position);
		this.source.fill(this.position, b, off, n);
		this.position += n;
		return n;
	}

	@Override
	public long skip(long n) {
		long skipped = Math.max(0, Math.min(n, this.end - this.position));
		this.position += skipped;
		return skipped;
	}

	@Override
	public int available() {
		return (int) Math.min(this.end - this.position, Integer.MAX_VALUE);
	}

	/**
	 * Computes bytes at an absolute position.
	 */
	@FunctionalInterface
	interface Source {

		void fill(long position, byte[] dst, int off, int length);

	}

}

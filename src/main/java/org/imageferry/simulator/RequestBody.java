package org.imageferry.simulator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as a service reads it, knowing whether it was read to its end (its
 * declared length, or the end of a chunked one). Closing it leaves the rest unread
 * instead of failing the request: the answer still goes out, and then the connection is
 * closed ({@link Exchange#discardUnreadBody}).
 */
final class RequestBody extends FilterInputStream {

	private final long declared;

	private long read;

	private boolean ended;

	/**
	 * @param declared its {@code Content-Length}, or -1 when it is chunked or absent
	 */
	RequestBody(InputStream in, long declared) {
		super(in);
		this.declared = declared;
	}

	boolean ended() {
		return this.ended || (this.declared >= 0 && this.read >= this.declared);
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		count((b < 0) ? -1 : 1);
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		count(n);
		return n;
	}

	private void count(int n) {
		if (n < 0) {
			this.ended = true;
		}
		else {
			this.read += n;
		}
	}

	@Override
	public void close() {
	}

}

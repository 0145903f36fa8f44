package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Contents one after another: what a GET of a Dynamic or Static Large Object streams, and
 * what an image imported from one holds.
 */
public final class Concat implements Content {

	private final List<Content> parts;

	private final long[] starts;

	private final long length;

	private Concat(List<Content> parts) {
		this.parts = List.copyOf(parts);
		this.starts = new long[parts.size()];
		long at = 0;
		for (int i = 0; i < parts.size(); i++) {
			this.starts[i] = at;
			at += parts.get(i).length();
		}
		this.length = at;
	}

	public static Content of(List<Content> parts) {
		return (parts.size() == 1) ? parts.get(0) : new Concat(parts);
	}

	@Override
	public long length() {
		return this.length;
	}

	@Override
	public InputStream open(long offset, long count) throws IOException {
		if (offset < 0 || count < 0 || offset + count > this.length) {
			throw new IllegalArgumentException("range outside content");
		}
		List<InputStream> streams = new ArrayList<>();
		long end = offset + count;
		for (int i = 0; i < this.parts.size() && count > 0; i++) {
			long partStart = this.starts[i];
			long partEnd = partStart + this.parts.get(i).length();
			if (partEnd <= offset || partStart >= end) {
				continue;
			}
			long from = Math.max(offset, partStart) - partStart;
			long to = Math.min(end, partEnd) - partStart;
			streams.add(new LazyStream(this.parts.get(i), from, to - from));
		}
		Enumeration<InputStream> e = Collections.enumeration(streams);
		return new SequenceInputStream(e);
	}

	/**
	 * Opens a part only when the reader reaches it, so a long concatenation holds one
	 * stream at a time.
	 */
	private static final class LazyStream extends InputStream {

		private final Content content;

		private final long offset;

		private final long count;

		private InputStream in;

		LazyStream(Content content, long offset, long count) {
			this.content = content;
			this.offset = offset;
			this.count = count;
		}

		private InputStream in() throws IOException {
			if (this.in == null) {
				this.in = this.content.open(this.offset, this.count);
			}
			return this.in;
		}

		@Override
		public int read() throws IOException {
			return in().read();
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			return in().read(b, off, len);
		}

		@Override
		public void close() throws IOException {
			if (this.in != null) {
				this.in.close();
			}
		}

	}

}

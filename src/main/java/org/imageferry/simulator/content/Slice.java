package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * A window onto other content; exported segments are slices of their image.
 */
record Slice(Content base, long offset, long length) implements Content {

	static Content of(Content base, long offset, long length) {
		if (offset < 0 || length < 0 || offset + length > base.length()) {
			throw new IllegalArgumentException(
					"slice [" + offset + ", +" + length + ") outside content of " + base.length() + " bytes");
		}
		if (offset == 0 && length == base.length()) {
			return base;
		}
		if (base instanceof Slice s) {
			return new Slice(s.base, s.offset + offset, length);
		}
		return new Slice(base, offset, length);
	}

	@Override
	public InputStream open(long from, long count) throws IOException {
		if (from < 0 || count < 0 || from + count > this.length) {
			throw new IllegalArgumentException("range outside slice");
		}
		return this.base.open(this.offset + from, count);
	}

}

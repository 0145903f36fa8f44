package org.imageferry.simulator.content;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A small upload held whole in memory: no more than a large upload keeps of itself
 * ({@link DigestOnly#HEAD} + {@link DigestOnly#TAIL} bytes), and it spares a file per
 * PUT.
 *
 * @param bytes the body; not to be changed afterwards
 */
public record InMemory(byte[] bytes) implements Content {

	/** The largest body kept in memory. */
	public static final int MAX = DigestOnly.HEAD + DigestOnly.TAIL;

	@Override
	public long length() {
		return this.bytes.length;
	}

	@Override
	public InputStream open(long offset, long count) {
		if (offset < 0 || count < 0 || offset + count > this.bytes.length) {
			throw new IllegalArgumentException(
					"range [" + offset + ", +" + count + ") outside " + this.bytes.length + " bytes");
		}
		return new ByteArrayInputStream(this.bytes, (int) offset, (int) count);
	}

}

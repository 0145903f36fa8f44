package org.imageferry.simulator.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A large upload the simulator did not keep: its length, the first bytes and the last 512
 * (enough to validate a VHD's footer and headers on import) and, kept by the object that
 * holds it, its MD5. Reading anywhere else fails, loudly.
 */
public record DigestOnly(long length, byte[] head, byte[] tail) implements Content {

	/** How much of the start of a large upload is kept. */
	public static final int HEAD = 64 * 1024;

	/** How much of the end of a large upload is kept: one VHD footer. */
	public static final int TAIL = 512;

	@Override
	public InputStream open(long offset, long count) throws IOException {
		if (offset + count <= this.head.length) {
			return new ByteArrayInputStream(this.head, (int) offset, (int) count);
		}
		long tailStart = this.length - this.tail.length;
		if (offset >= tailStart) {
			return new ByteArrayInputStream(this.tail, (int) (offset - tailStart), (int) count);
		}
		throw new IOException("the simulator kept only the digest of this " + this.length
				+ "-byte object (larger than keepBytesUpTo); its bytes cannot be read back");
	}

}

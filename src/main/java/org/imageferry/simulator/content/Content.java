package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Immutable bytes held by the simulated cloud: an image's disk, an object's body, a slice
 * of either.
 * <p>
 * Content is streamed, never materialised: an image of tens of gigabytes is generated on
 * read ({@link SyntheticVhd}) and an exported segment is a {@link #slice} of its image,
 * so the simulator needs neither the disk nor the memory of the data it pretends to hold.
 */
public interface Content {

	/**
	 * @return the number of bytes
	 */
	long length();

	/**
	 * Streams {@code length} bytes starting at {@code offset}.
	 * @param offset first byte, {@code 0 <= offset <= length()}
	 * @param length number of bytes, {@code offset + length <= length()}
	 * @return a stream of exactly that many bytes
	 * @throws IOException when the bytes cannot be read (for example digest-only content)
	 */
	InputStream open(long offset, long length) throws IOException;

	default InputStream open() throws IOException {
		return open(0, length());
	}

	/**
	 * @return a view of {@code length} bytes of this content starting at {@code offset}
	 */
	default Content slice(long offset, long length) {
		return Slice.of(this, offset, length);
	}

}

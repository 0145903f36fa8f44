package org.imageferry.vhd;

import java.io.IOException;

/**
 * Random access to a possibly remote object, so {@link VhdValidator} can read a VHD's few
 * structures without fetching the whole file: the product implements it with HTTP Range
 * requests, the simulator over its stored content.
 */
public interface RangeReader {

	/**
	 * @return the object's length in bytes
	 * @throws IOException when it cannot be determined
	 */
	long length() throws IOException;

	/**
	 * @param offset first byte, {@code 0 <= offset}
	 * @param length number of bytes, {@code offset + length <= length()}
	 * @return exactly {@code length} bytes
	 * @throws IOException when they cannot be read
	 */
	byte[] read(long offset, int length) throws IOException;

}

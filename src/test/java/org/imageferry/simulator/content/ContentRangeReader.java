package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;

import org.imageferry.vhd.RangeReader;

/**
 * Lets a test judge simulator content with the product's
 * {@link org.imageferry.vhd.VhdValidator}. Test code only: the simulated cloud judges
 * imports with its own {@code VhdCheck}, never with the product's validator.
 */
public final class ContentRangeReader implements RangeReader {

	private final Content content;

	private ContentRangeReader(Content content) {
		this.content = content;
	}

	/**
	 * @param content the content to read
	 * @return random access to it
	 */
	public static RangeReader of(Content content) {
		return new ContentRangeReader(content);
	}

	@Override
	public long length() {
		return this.content.length();
	}

	@Override
	public byte[] read(long offset, int length) throws IOException {
		try (InputStream in = this.content.open(offset, length)) {
			byte[] bytes = in.readNBytes(length);
			if (bytes.length != length) {
				throw new IOException("short read at " + offset + ": " + bytes.length + " of " + length + " bytes");
			}
			return bytes;
		}
	}

}

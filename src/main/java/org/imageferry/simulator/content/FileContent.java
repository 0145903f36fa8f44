package org.imageferry.simulator.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of a file on disk: small real images made by {@code qemu-img} and objects
 * uploaded to the simulated Cloud Files. The length is taken once, as content is
 * immutable; the file must not change afterwards.
 *
 * @param path the file
 * @param length its size when this content was made
 */
public record FileContent(Path path, long length) implements Content {

	/**
	 * @param path an existing regular file
	 * @return its content
	 */
	public static FileContent of(Path path) {
		try {
			return new FileContent(path, Files.size(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public InputStream open(long offset, long count) throws IOException {
		if (offset < 0 || count < 0 || offset + count > this.length) {
			throw new IllegalArgumentException(
					"range [" + offset + ", +" + count + ") outside " + this.path + " of " + this.length + " bytes");
		}
		FileChannel channel = FileChannel.open(this.path, StandardOpenOption.READ);
		channel.position(offset);
		return new Bounded(Channels.newInputStream(channel), count);
	}

	/**
	 * Stops after the requested count; closing it closes the channel.
	 */
	private static final class Bounded extends FilterInputStream {

		private long remaining;

		Bounded(InputStream in, long count) {
			super(in);
			this.remaining = count;
		}

		@Override
		public int read() throws IOException {
			if (this.remaining <= 0) {
				return -1;
			}
			int b = super.read();
			if (b >= 0) {
				this.remaining--;
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) {
				return 0;
			}
			if (this.remaining <= 0) {
				return -1;
			}
			int n = super.read(b, off, (int) Math.min(len, this.remaining));
			if (n > 0) {
				this.remaining -= n;
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(Math.min(n, this.remaining));
			this.remaining -= skipped;
			return skipped;
		}

		@Override
		public int available() throws IOException {
			return (int) Math.min(super.available(), this.remaining);
		}

	}

}

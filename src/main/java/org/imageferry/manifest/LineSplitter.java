package org.imageferry.manifest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines at LF, CRLF or a lone CR, keeping bytes (decoding is
 * the caller's, so an invalid UTF-8 line can be reported by number). A line longer than
 * the limit is returned truncated, one byte past the limit, so the caller can tell it was
 * too long without holding all of it.
 */
final class LineSplitter {

	private final InputStream in;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private int number;

	private boolean pendingLf;

	LineSplitter(InputStream in) {
		this.in = new BufferedInputStream(in, 64 * 1024);
	}

	/**
	 * @return the next line without its ending, or null at the end
	 */
	byte[] next() throws IOException {
		this.line.reset();
		int c;
		boolean any = false;
		while ((c = this.in.read()) != -1) {
			if (this.pendingLf) {
				this.pendingLf = false;
				if (c == '\n') {
					continue;
				}
			}
			any = true;
			if (c == '\n') {
				break;
			}
			if (c == '\r') {
				this.pendingLf = true;
				break;
			}
			if (this.line.size() <= ManifestReader.MAX_LINE) {
				this.line.write(c);
			}
		}
		if (c == -1 && !any) {
			return null;
		}
		this.number++;
		return this.line.toByteArray();
	}

	int number() {
		return this.number;
	}

}

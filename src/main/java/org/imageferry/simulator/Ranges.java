package org.imageferry.simulator;

/**
 * The single byte ranges Swift serves: {@code bytes=a-b}, {@code bytes=a-} and
 * {@code bytes=-n}.
 */
final class Ranges {

	private Ranges() {
	}

	/**
	 * @return {@code [first, last]} inclusive, or null to serve the whole object (no
	 * header, a multi-range or one that does not parse, which HTTP allows a server to
	 * ignore)
	 * @throws Unsatisfiable when the range starts past the end (416)
	 */
	static long[] parse(String header, long length) {
		if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
			return null;
		}
		String spec = header.substring("bytes=".length()).trim();
		int dash = spec.indexOf('-');
		if (dash < 0) {
			return null;
		}
		try {
			String a = spec.substring(0, dash).trim();
			String b = spec.substring(dash + 1).trim();
			long first;
			long last;
			if (a.isEmpty()) {
				long suffix = Long.parseLong(b);
				if (suffix == 0) {
					throw unsatisfiable(length);
				}
				first = Math.max(0, length - suffix);
				last = length - 1;
			}
			else {
				first = Long.parseLong(a);
				last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
				if (last < first && !b.isEmpty() && Long.parseLong(b) < first) {
					return null;
				}
			}
			if (first >= length) {
				throw unsatisfiable(length);
			}
			return new long[] { first, last };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Unsatisfiable unsatisfiable(long length) {
		return new Unsatisfiable(length);
	}

	/**
	 * A range past the end: 416, with {@code Content-Range: bytes *}{@code /<length>} as
	 * Swift sends.
	 */
	static final class Unsatisfiable extends RuntimeException {

		final long length;

		Unsatisfiable(long length) {
			super(null, null, false, false);
			this.length = length;
		}

	}

}

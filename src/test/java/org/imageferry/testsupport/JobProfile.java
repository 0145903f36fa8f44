package org.imageferry.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Job profiles for tests and benchmarks that run image-ferry as an operator does
 * ({@code run --job FILE}): the keys every such profile names, and the owner-only
 * credentials file it points to, in one place.
 */
public final class JobProfile {

	private JobProfile() {
	}

	/**
	 * Writes {@code file}: the identity URL; {@code data-dir}, {@code reports-dir} and
	 * the metrics textfile under {@code home} ({@code data}, {@code reports},
	 * {@code reports/image-ferry.prom}); then the caller's own keys.
	 * @param keys more keys under {@code image-ferry:}, one a line, not indented
	 */
	public static Path write(Path file, String identityUrl, Path home, String keys) throws IOException {
		return Files.writeString(file, """
				image-ferry:
				  identity-url: %s
				  data-dir: %s
				  reports-dir: %s
				  metrics-textfile: %s
				""".formatted(identityUrl, home.resolve("data"), home.resolve("reports"),
				home.resolve("reports/image-ferry.prom")) + keys.indent(2));
	}

	/**
	 * Writes {@code text} to a new credentials file that only its owner may read or
	 * write: image-ferry refuses one that others may read.
	 */
	public static Path credentials(Path file, String text) throws IOException {
		return Files.writeString(Files.createFile(file,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), text);
	}

}

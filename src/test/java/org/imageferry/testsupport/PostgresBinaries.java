package org.imageferry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The programs of Debian's {@code postgresql} package as {@link PostgresServer} runs
 * them: from Debian's newest {@code /usr/lib/postgresql/<major>/bin} (off the
 * {@code PATH}), else from the directory of {@code pg_ctl} on the {@code PATH}; and,
 * since initdb and postgres refuse to run as root — which the tests are in CI — as
 * Debian's {@code postgres} user when this JVM is root, owning what they write.
 */
final class PostgresBinaries {

	private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

	private static final Path RUNUSER = Path.of("/usr/sbin/runuser");

	private final Path bin;

	private PostgresBinaries(Path bin) {
		this.bin = bin;
	}

	/**
	 * The programs, or the test skipped without them (failed under {@code CI=true}:
	 * {@link ExternalTools#require}).
	 */
	static PostgresBinaries find() {
		try (Stream<Path> majors = Files.isDirectory(DEBIAN) ? Files.list(DEBIAN) : Stream.empty()) {
			Optional<Path> debian = majors.filter((major) -> major.getFileName().toString().matches("\\d+"))
				.map((major) -> major.resolve("bin"))
				.filter((dir) -> Files.isExecutable(dir.resolve("pg_ctl")) && Files.isExecutable(dir.resolve("initdb")))
				.max(Comparator.comparing((Path dir) -> Integer.parseInt(dir.getParent().getFileName().toString())));
			return new PostgresBinaries(
					debian.isPresent() ? debian.get() : ExternalTools.require("pg_ctl").toRealPath().getParent());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs one of the programs to its end, as the {@code postgres} user when root. */
	ExternalTools.Result execute(String program, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.bin.resolve(program).toString());
		command.addAll(List.of(arguments));
		if (root()) {
			command.addAll(0, List.of("-u", "postgres", "--"));
			return ExternalTools.run(RUNUSER, command.toArray(String[]::new));
		}
		return ExternalTools.run(Path.of(command.remove(0)), command.toArray(String[]::new));
	}

	/** Makes a file or directory the server's: as root, the {@code postgres} user's. */
	void own(Path path) throws IOException {
		if (root()) {
			Files.setOwner(path,
					path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
		}
	}

	private static boolean root() {
		return "root".equals(System.getProperty("user.name"));
	}

}

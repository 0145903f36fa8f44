package org.imageferry.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs some tests need, such as {@code qemu-img}. A developer without them
 * sees those tests skipped; CI ({@code CI=true}) installs them, so there a missing tool
 * fails the test instead of silently testing less.
 */
public final class ExternalTools {

	private ExternalTools() {
	}

	/**
	 * @param executable a program name, e.g. {@code qemu-img}, or an absolute path such
	 * as {@code /usr/bin/swift} when the program must be that very file (Debian's Python
	 * clients need Debian's {@code /usr/bin/python3}, which need not be the first
	 * {@code python3} on {@code PATH})
	 * @return its path on {@code PATH} (or in {@code /usr/bin}), or the absolute path
	 * given
	 */
	public static Path require(String executable) {
		if (Path.of(executable).isAbsolute()) {
			Path path = Path.of(executable);
			if (Files.isRegularFile(path) && Files.isExecutable(path)) {
				return path;
			}
			return missing(executable);
		}
		List<String> dirs = new ArrayList<>(
				List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		dirs.add("/usr/bin");
		for (String dir : dirs) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, executable);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return missing(executable);
	}

	private static Path missing(String executable) {
		String message = executable + " is not installed";
		if ("true".equals(System.getenv("CI"))) {
			return Assertions.fail(message + ", but CI=true: CI must install it");
		}
		Assumptions.abort(message + ": skipping");
		return null;
	}

	/**
	 * Runs a program to completion.
	 * @param executable from {@link #require}
	 * @param arguments its arguments
	 * @return its exit code and its output, standard error included
	 */
	public static Result run(Path executable, String... arguments) {
		return run(executable, List.of(), arguments);
	}

	/**
	 * Runs a program to completion without some of this process's environment, so that,
	 * for instance, a developer's own {@code OS_*} credentials never reach an OpenStack
	 * client under test.
	 * @param executable from {@link #require}
	 * @param unsetPrefixes environment variables whose names start with one of these are
	 * not passed on
	 * @param arguments its arguments
	 * @return its exit code and its output, standard error included
	 */
	public static Result run(Path executable, List<String> unsetPrefixes, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(executable.toString());
		command.addAll(List.of(arguments));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().keySet().removeIf((name) -> unsetPrefixes.stream().anyMatch(name::startsWith));
			Process process = builder.start();
			process.getOutputStream().close();
			String output;
			try (InputStream in = process.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			return new Result(process.waitFor(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Like {@link #run} but fails the test unless the program exits with 0.
	 * @param executable from {@link #require}
	 * @param arguments its arguments
	 * @return its output
	 */
	public static String runOk(Path executable, String... arguments) {
		Result result = run(executable, arguments);
		Assertions.assertEquals(0, result.exitCode(),
				() -> executable + " " + String.join(" ", arguments) + " failed: " + result.output());
		return result.output();
	}

	/**
	 * @param exitCode the program's exit code
	 * @param output what it printed
	 */
	public record Result(int exitCode, String output) {
	}

}

package org.imageferry.testsupport.realswift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of one test Swift, each logging to {@code logs/<name>.log}, and killed
 * together. Each is also written down in {@code pids} (process id and start time) so that
 * a later run can end what a JVM killed without its shutdown hooks left running — only
 * those very processes, recognised by their id and start time.
 */
final class Processes {

	private final Path dir;

	private final Map<String, Process> started = new LinkedHashMap<>();

	Processes(Path dir) {
		this.dir = dir;
	}

	synchronized void start(String name, String... command) {
		try {
			Files.createDirectories(this.dir.resolve("logs"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("logs").resolve(name + ".log").toFile())
				.start();
			process.getOutputStream().close();
			this.started.put(name, process);
			Instant since = process.info().startInstant().orElse(Instant.EPOCH);
			Files.writeString(this.dir.resolve("pids"), process.pid() + " " + since.toEpochMilli() + "\n",
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Fails, with the end of its log, when the process has exited. */
	synchronized void requireAlive(String name, Path log) {
		Process process = this.started.get(name);
		if (process != null && !process.isAlive()) {
			String output;
			try {
				output = Files.readString(log);
			}
			catch (IOException ex) {
				output = "(no log: " + ex.getMessage() + ")";
			}
			throw new IllegalStateException(name + " of the test Swift exited with " + process.exitValue() + ": "
					+ output.substring(Math.max(0, output.length() - 3000)));
		}
	}

	/** Kills every process started here (and any child of it), and waits for them. */
	synchronized void killAll() {
		for (Process process : this.started.values()) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		for (Process process : this.started.values()) {
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.started.clear();
	}

	/**
	 * Ends the processes of test Swifts whose JVM is gone (killed before its shutdown
	 * hook ran) and deletes their directories. A directory is named after its JVM's
	 * process id; one whose JVM still runs is another test run's, and is left alone.
	 */
	static void reapLeftovers(Path root) throws IOException {
		if (!Files.isDirectory(root)) {
			return;
		}
		List<Path> dirs;
		try (Stream<Path> list = Files.list(root)) {
			dirs = list.filter((d) -> d.getFileName().toString().matches("\\d+")).toList();
		}
		for (Path dir : dirs) {
			long jvm = Long.parseLong(dir.getFileName().toString());
			if (jvm == ProcessHandle.current().pid() || ProcessHandle.of(jvm).isPresent()) {
				continue;
			}
			for (ProcessHandle leftover : recorded(dir.resolve("pids"))) {
				leftover.destroyForcibly();
			}
			RealSwift.deleteTree(dir);
		}
	}

	/** The recorded processes that still run: same id, same start time. */
	private static List<ProcessHandle> recorded(Path pids) throws IOException {
		List<ProcessHandle> alive = new ArrayList<>();
		if (!Files.exists(pids)) {
			return alive;
		}
		for (String line : Files.readAllLines(pids)) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 2) {
				continue;
			}
			Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(fields[0]));
			long since = Long.parseLong(fields[1]);
			handle.filter((h) -> h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == since)
				.ifPresent(alive::add);
		}
		return alive;
	}

}

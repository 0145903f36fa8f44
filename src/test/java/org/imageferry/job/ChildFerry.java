package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;

/**
 * The command line in a child JVM, started as cron would start it (credentials in the
 * environment), so a test can kill it with SIGKILL and start the same command again. Each
 * start writes its output to its own log in the directory.
 */
final class ChildFerry {

	private final Path dir;

	private final Account account;

	private final List<String> jvmOptions;

	private final List<Path> logs = new ArrayList<>();

	/**
	 * @param jvmOptions options for the child JVM, for instance to make it start faster
	 */
	ChildFerry(Path dir, Account account, String... jvmOptions) {
		this.dir = dir;
		this.account = account;
		this.jvmOptions = List.of(jvmOptions);
	}

	/** Starts {@code run --job <job> --manifest <manifest>}. */
	Process run(Path job, Path manifest) throws IOException {
		return start("run", "--job", job.toString(), "--manifest", manifest.toString());
	}

	/**
	 * Starts a command. SIGINT and SIGTERM are set to their default first ({@code env
	 * --default-signal}): a test JVM started in the background by a script may ignore
	 * SIGINT, and its children would inherit that.
	 */
	Process start(String... args) throws IOException {
		return start(Map.of(), args);
	}

	/**
	 * Starts a command with more environment variables, for instance
	 * {@code IMAGE_FERRY_IDENTITY_URL} naming the simulator's host a worker reaches.
	 */
	Process start(Map<String, String> environment, String... args) throws IOException {
		Path log = this.dir.resolve("run-" + this.logs.size() + ".log");
		this.logs.add(log);
		List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(this.jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ImageFerryApplication.class.getName()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
		builder.environment().put("RAX_USERNAME", this.account.username());
		builder.environment().put("RAX_API_KEY", this.account.apiKey());
		builder.environment().putAll(environment);
		return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** The output of the n-th start (from 0). */
	String log(int n) throws IOException {
		return Files.readString(this.logs.get(n));
	}

	/** The output of every start so far, for an assertion's description. */
	String log() {
		StringBuilder text = new StringBuilder();
		for (Path log : this.logs) {
			try {
				text.append("--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
			}
			catch (IOException ex) {
				text.append(ex);
			}
		}
		return text.toString();
	}

}

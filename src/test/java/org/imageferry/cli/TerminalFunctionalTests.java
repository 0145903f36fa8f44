package org.imageferry.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.ExternalTools;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run on a real pseudo-terminal: the command line in a child process under
 * {@code script} (util-linux), its output read back as the terminal shows it
 * ({@link Screen}). No line of the screen ever holds the live progress line and a log
 * line together: log lines appear above the live line, which is drawn again below them.
 */
class TerminalFunctionalTests {

	private static final Pattern PROGRESS = Pattern.compile("\\d+/\\d+ images \\(\\d+ failed\\)");

	private static final Pattern LOG = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (INFO|WARN|ERROR)");

	@TempDir
	static Path dir;

	static SimulatedCloud cloud;

	static Account alice;

	static Path job;

	@BeforeAll
	static void start() throws Exception {
		cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofMillis(1500), Duration.ofMillis(1500))
			.build());
		alice = cloud.config().accounts().get(0);
		job = JobProfile.write(dir.resolve("tty.yml"), cloud.identityUrl(), dir, """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				tasks-in-flight-per-region: 2
				poll-interval: 100ms
				retry-delay: 10ms
				""");
	}

	@AfterAll
	static void stop() {
		cloud.close();
	}

	@Test
	void withVerboseLogLinesAppearAboveTheLiveLineNeverOnIt() throws Exception {
		// given
		Path manifest = manifest("verbose", 4);

		// when
		Terminal run = runOnATerminal("run", "--job", job.toString(), "--manifest", manifest.toString(), "--verbose");

		// then
		Screen screen = Screen.of(run.output());
		assertThat(run.exit()).as(run.output()).isZero();
		assertThat(screen.states()).as("the live line was shown").anyMatch((s) -> PROGRESS.matcher(s).find());
		assertThat(screen.states()).as("INFO lines were shown")
			.anyMatch((s) -> LOG.matcher(s).find() && s.contains(" INFO "));
		assertThat(screen.states()).as(run.output())
			.noneMatch((s) -> PROGRESS.matcher(s).find() && LOG.matcher(s).find());
		assertThat(screen.lines()).as("the live line is gone at the end").noneMatch((s) -> PROGRESS.matcher(s).find());
		assertThat(screen.lines()).anyMatch((s) -> s.matches("run \\d+, execution \\d+: COMPLETED"));
	}

	@Test
	void withoutVerboseATerminalShowsTheLiveLineAndNoInfoChatter() throws Exception {
		// given
		Path manifest = manifest("quiet", 2);

		// when
		Terminal run = runOnATerminal("run", "--job", job.toString(), "--manifest", manifest.toString());

		// then
		Screen screen = Screen.of(run.output());
		assertThat(run.exit()).as(run.output()).isZero();
		assertThat(screen.states()).as("the live line was shown").anyMatch((s) -> PROGRESS.matcher(s).find());
		assertThat(screen.states()).as(run.output()).noneMatch((s) -> s.contains(" INFO "));
		assertThat(run.output()).doesNotContain("progress: ");
	}

	private static Path manifest(String name, int images) throws Exception {
		List<String> lines = new ArrayList<>(List.of("image_id"));
		for (int i = 0; i < images; i++) {
			lines.add(cloud.addImage(ImageSeed.of("DFW", "100001", name + "-" + i,
					SyntheticVhd.fixed(3 * 1024 * 1024, (name + i).hashCode()))));
		}
		return Files.write(dir.resolve(name + ".csv"), lines);
	}

	/**
	 * Runs the command line in a child JVM whose standard input and output are a
	 * pseudo-terminal, as in an operator's shell; credentials in the environment.
	 */
	private static Terminal runOnATerminal(String... args) throws Exception {
		Path script = ExternalTools.require("script");
		StringBuilder command = new StringBuilder("exec ")
			.append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
			.append(" -XX:TieredStopAtLevel=1 ")
			.append(ImageFerryApplication.class.getName());
		for (String arg : args) {
			command.append(' ').append(quote(arg));
		}
		Path output = Files.createTempFile(dir, "terminal", ".out");
		ProcessBuilder builder = new ProcessBuilder(script.toString(), "-qfec", command.toString(), "/dev/null");
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
		builder.environment().put("RAX_USERNAME", alice.username());
		builder.environment().put("RAX_API_KEY", alice.apiKey());
		builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
		builder.environment().put("SHELL", "/bin/sh");
		builder.environment().put("TERM", "xterm");
		Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
		boolean ended = process.waitFor(3, TimeUnit.MINUTES);
		if (!ended) {
			process.destroyForcibly().waitFor();
		}
		String text = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(ended).as("the run ends: " + text).isTrue();
		return new Terminal(process.exitValue(), text);
	}

	private static String quote(String arg) {
		return "'" + arg.replace("'", "'\\''") + "'";
	}

	private record Terminal(int exit, String output) {
	}

}

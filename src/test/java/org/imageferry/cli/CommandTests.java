package org.imageferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CommandTests {

	@TempDir
	Path dir;

	private String job;

	@BeforeEach
	void jobProfile() throws IOException {
		Files.createDirectories(this.dir.resolve("jobs"));
		this.job = Files.writeString(this.dir.resolve("jobs/nightly.yml"), "source: {}\n").toString();
	}

	@Test
	void parsesAValidRun() {
		// given
		List<String> args = List.of("run", "--job", this.job, "--manifest", "images.csv");

		// when
		Command command = Command.parse(args);

		// then
		assertThat(command).isEqualTo(new Command("run", Path.of(this.job), Path.of("images.csv"), false, false, false,
				null, false, false, null));
	}

	@Test
	void parsesStrictAndForceInAnyOrder() {
		// given
		List<String> args = List.of("run", "--force", "--manifest", "images.csv", "--strict", "--job", this.job);

		// when
		Command command = Command.parse(args);

		// then
		assertThat(command.strict()).isTrue();
		assertThat(command.force()).isTrue();
		assertThat(command.help()).isFalse();
		assertThat(command.manifest()).isEqualTo(Path.of("images.csv"));
	}

	@Test
	void verboseIsAnOptionOfTheVerbsThatShowALiveLine() {
		// when
		Command run = Command.parse(List.of("run", "--job", this.job, "--manifest", "m.csv", "--verbose"));
		Command restart = Command.parse(List.of("restart", "--verbose", "--job", this.job));
		Command quiet = Command.parse(List.of("restart", "--job", this.job));

		// then
		assertThat(run.verbose()).isTrue();
		assertThat(restart.verbose()).isTrue();
		assertThat(quiet.verbose()).isFalse();
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("status", "--job", this.job, "--verbose")))
			.withMessage("status takes no option '--verbose'");
	}

	@Test
	void runNeedsAJob() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--manifest", "images.csv")))
			.withMessage("run needs --job jobs/<name>.yml");
	}

	@Test
	void runNeedsAManifest() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job)))
			.withMessage("run needs --manifest <file.csv>");
	}

	@Test
	void theJobProfileMustExist() {
		// given
		String missing = this.dir.resolve("jobs/weekly.yml").toString();

		// when / then
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", missing, "--manifest", "images.csv")))
			.withMessage("job profile " + missing + " does not exist");
	}

	@Test
	void aDirectoryIsNotAJobProfile() {
		// given
		String directory = this.dir.resolve("jobs").toString();

		// when / then
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", directory, "--manifest", "images.csv")))
			.withMessageContaining("does not exist");
	}

	@Test
	void unknownOptionsAreRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job, "--manifest", "m.csv", "--bogus")))
			.withMessage("run takes no option '--bogus'");
	}

	@Test
	void aStrayArgumentIsRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job, "m.csv")))
			.withMessage("unexpected argument 'm.csv'");
	}

	@Test
	void anOptionAtTheEndWithoutItsValueIsRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job, "--manifest")))
			.withMessage("--manifest needs a value");
	}

	@Test
	void anOptionFollowedByAnotherOptionIsRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", "--manifest", "images.csv")))
			.withMessage("--job needs a value");
	}

	@Test
	void helpAnywhereAsksForHelp() {
		assertThat(Command.parse(List.of("--help")).help()).isTrue();
		assertThat(Command.parse(List.of("-h")).help()).isTrue();
		assertThat(Command.parse(List.of("help")).help()).isTrue();
		assertThat(Command.parse(List.of("run", "--job", "--help")).help()).isTrue();
		assertThat(Command.parse(List.of("run", "--manifest", "m.csv", "--bogus", "--help")).help()).isTrue();
		assertThat(Command.parse(List.of("status", "--help")).usage()).contains("usage: image-ferry status");
	}

	@Test
	void theOtherVerbsTakeAJobAndAnOptionalExecution() {
		// when
		Command status = Command.parse(List.of("status", "--job", this.job, "--execution", "42"));
		Command restart = Command.parse(List.of("restart", "--job", this.job));

		// then
		assertThat(status.verb()).isEqualTo("status");
		assertThat(status.execution()).isEqualTo(42L);
		assertThat(restart.execution()).isNull();
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("stop", "--job", this.job, "--manifest", "m.csv")))
			.withMessage("stop takes no option '--manifest'");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("report", "--job", this.job, "--execution", "x")))
			.withMessage("--execution needs a positive number, not 'x'");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> Command.parse(List.of("restart")))
			.withMessage("restart needs --job jobs/<name>.yml");
	}

	@Test
	void everyOptionWithAValueTakesItAfterAnEqualsSignToo() {
		// given
		List<String> spaced = List.of("run", "--job", this.job, "--manifest", "images.csv", "--strict");
		List<String> joined = List.of("run", "--job=" + this.job, "--manifest=images.csv", "--strict");

		// when
		Command fromSpaced = Command.parse(spaced);
		Command fromJoined = Command.parse(joined);
		Command status = Command.parse(List.of("status", "--job=" + this.job, "--execution=42"));

		// then
		assertThat(fromJoined).isEqualTo(fromSpaced);
		assertThat(status.execution()).isEqualTo(42L);
		assertThat(status.job()).isEqualTo(Path.of(this.job));
	}

	@Test
	void aValueAfterAnEqualsSignIsTakenAsItIsEvenWithAnEqualsSignOrDashes() {
		// when
		Command command = Command.parse(List.of("run", "--job", this.job, "--manifest=--a=b.csv"));

		// then
		assertThat(command.manifest()).isEqualTo(Path.of("--a=b.csv"));
	}

	@Test
	void anEmptyValueAfterAnEqualsSignIsRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job, "--manifest=")))
			.withMessage("--manifest needs a value");
	}

	@Test
	void aFlagGivenAValueIsRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("run", "--job", this.job, "--manifest", "m.csv", "--strict=yes")))
			.withMessage("--strict takes no value");
	}

	@Test
	void anUnknownOptionWithAValueIsRefusedByItsName() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("status", "--job", this.job, "--manifest=m.csv")))
			.withMessage("status takes no option '--manifest'");
	}

	@Test
	void dryRunIsAnOptionOfRun() {
		assertThat(Command.parse(List.of("run", "--job", this.job, "--manifest", "m.csv", "--dry-run")).dryRun())
			.isTrue();
	}

	@Test
	void aWorkerTakesAJobAndNothingElse() {
		// when
		Command worker = Command.parse(List.of("worker", "--job", this.job));

		// then
		assertThat(worker.verb()).isEqualTo(Command.WORKER);
		assertThat(worker.usage()).contains("usage: image-ferry worker --job", "SIGTERM");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("worker", "--job", this.job, "--execution", "3")))
			.withMessage("worker takes no option '--execution'");
	}

	@Test
	void unknownVerbsAreRefused() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> Command.parse(List.of("migrate", "--job", this.job, "--manifest", "m.csv")))
			.withMessage("unknown command 'migrate'");
	}

	@Test
	void noArgumentsIsAUsageError() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> Command.parse(List.of()))
			.withMessage("no command given");
	}

	@Test
	void theProfileIsNamedAfterTheJobFile() throws IOException {
		// given
		String yaml = Files.writeString(this.dir.resolve("jobs/dfw-to-iad.yaml"), "").toString();
		String other = Files.writeString(this.dir.resolve("jobs/plain"), "").toString();

		// when
		Command nightly = Command.parse(List.of("run", "--job", this.job, "--manifest", "m.csv"));
		Command dfwToIad = Command.parse(List.of("run", "--job", yaml, "--manifest", "m.csv"));
		Command plain = Command.parse(List.of("run", "--job", other, "--manifest", "m.csv"));

		// then
		assertThat(nightly.profile()).isEqualTo("nightly");
		assertThat(dfwToIad.profile()).isEqualTo("dfw-to-iad");
		assertThat(plain.profile()).isEqualTo("plain");
	}

	@Test
	void usageMentionsEveryOption() {
		assertThat(Command.USAGE).contains("run", "--job", "--manifest", "--strict", "--force", "--help");
	}

}

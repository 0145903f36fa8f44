package org.imageferry.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CredentialsSourceTests {

	private static final String FILE_BOTH_KINDS = """
			source.username = file-source-user
			source.api-key = file-source-key
			username = file-user
			api-key = file-key
			""";

	@TempDir
	Path dir;

	@Test
	void sideSpecificVariablesWinOverEverything() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(Map.of("RAX_SOURCE_USERNAME", "env-source-user",
				"RAX_SOURCE_API_KEY", "env-source-key", "RAX_USERNAME", "env-user", "RAX_API_KEY", "env-key"),
				credentialsFile(FILE_BOTH_KINDS, "rw-------"));

		// when
		Credentials credentials = source.credentials("source");

		// then
		assertThat(credentials).isEqualTo(new Credentials("env-source-user", "env-source-key"));
	}

	@Test
	void aTargetsAccountIsLookedUpBeforeTheTargetsThenTheSharedOnes() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(
				Map.of("RAX_UK_WEST_USERNAME", "uk-user", "RAX_UK_WEST_API_KEY", "uk-key", "RAX_TARGET_USERNAME",
						"target-user", "RAX_TARGET_API_KEY", "target-key", "RAX_USERNAME", "env-user", "RAX_API_KEY",
						"env-key"),
				credentialsFile("ord.username = file-ord-user\nord.api-key = file-ord-key\n", "rw-------"));

		// when
		Credentials uk = source.credentials(List.of("uk-west", "target"));
		Credentials ord = source.credentials(List.of("ord", "target"));

		// then: the file's ord comes after the environment's target
		assertThat(uk).isEqualTo(new Credentials("uk-user", "uk-key"));
		assertThat(ord).isEqualTo(new Credentials("target-user", "target-key"));
		assertThat(new CredentialsSource(Map.of(), credentialsFile("ord.username = o\nord.api-key = k\n", "rw-------"))
			.credentials(List.of("ord", "target"))).isEqualTo(new Credentials("o", "k"));
		assertThatIllegalStateException()
			.isThrownBy(() -> new CredentialsSource(Map.of(), null).credentials(List.of("syd", "target")))
			.withMessageContaining("RAX_SYD_USERNAME and RAX_SYD_API_KEY, or RAX_TARGET_USERNAME");
	}

	@Test
	void sharedVariablesWinOverTheFile() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(
				Map.of("RAX_TARGET_USERNAME", "env-target-user", "RAX_USERNAME", "env-user", "RAX_API_KEY", "env-key"),
				credentialsFile(FILE_BOTH_KINDS, "rw-------"));

		// when
		Credentials sourceSide = source.credentials("source");
		Credentials target = source.credentials("target");

		// then
		assertThat(sourceSide).isEqualTo(new Credentials("env-user", "env-key"));
		assertThat(target).as("a side-specific username without its key does not count")
			.isEqualTo(new Credentials("env-user", "env-key"));
	}

	@Test
	void fileSideKeysWinOverFilePlainKeys() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(Map.of("RAX_USERNAME", "  ", "RAX_API_KEY", "env-key"),
				credentialsFile(FILE_BOTH_KINDS, "rw-------"));

		// when
		Credentials sourceSide = source.credentials("source");
		Credentials targetSide = source.credentials("target");

		// then
		assertThat(sourceSide).isEqualTo(new Credentials("file-source-user", "file-source-key"));
		assertThat(targetSide).isEqualTo(new Credentials("file-user", "file-key"));
	}

	@Test
	void valuesAreStripped() {
		// given
		CredentialsSource source = new CredentialsSource(Map.of("RAX_USERNAME", " alice ", "RAX_API_KEY", "\tkey\n"),
				null);

		// when
		Credentials credentials = source.credentials("target");

		// then
		assertThat(credentials).isEqualTo(new Credentials("alice", "key"));
	}

	@Test
	void missingCredentialsNameTheVariablesToSet() {
		// given
		CredentialsSource source = new CredentialsSource(Map.of("RAX_USERNAME", "alice"), null);

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("target"))
			.withMessageContaining("target account")
			.withMessageContaining("RAX_USERNAME")
			.withMessageContaining("RAX_API_KEY")
			.withMessageContaining("RAX_TARGET_USERNAME")
			.withMessageContaining("RAX_TARGET_API_KEY")
			.withMessageContaining("image-ferry.credentials-file");
	}

	@Test
	void aFileWithoutTheKeysIsNotEnough() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(Map.of(),
				credentialsFile("target.username = bob\n", "rw-------"));

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("source"))
			.withMessageContaining("RAX_SOURCE_USERNAME");
	}

	@Test
	void aFileOthersCanReadIsUsedWithAWarning() throws IOException {
		// given
		Path file = credentialsFile(FILE_BOTH_KINDS, "rw-r--r--");
		CredentialsSource source = new CredentialsSource(Map.of(), file);
		ListAppender<ILoggingEvent> logged = capture();

		// when
		Credentials credentials;
		try {
			credentials = source.credentials("source");
		}
		finally {
			release(logged);
		}

		// then
		assertThat(credentials).isEqualTo(new Credentials("file-source-user", "file-source-key"));
		assertThat(logged.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains(file.toString())
				.contains("readable by others")
				.contains("rw-r--r--")
				.contains("chmod 600 " + file)
				.doesNotContain("file-source-key");
		});
	}

	@Test
	void aFileOthersCanReadIsWarnedAboutOnceHoweverOftenItIsAsked() throws IOException {
		// given
		Path file = credentialsFile(FILE_BOTH_KINDS, "rw-r-----");
		CredentialsSource source = new CredentialsSource(Map.of(), file);
		ListAppender<ILoggingEvent> logged = capture();

		// when
		try {
			source.credentials("source");
			source.credentials("target");
			source.credentials("source");
		}
		finally {
			release(logged);
		}

		// then
		assertThat(logged.list).singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("readable by others"));
	}

	@Test
	void anOwnerOnlyFileIsUsedWithoutAWarning() throws IOException {
		// given
		CredentialsSource source = new CredentialsSource(Map.of(), credentialsFile(FILE_BOTH_KINDS, "r--------"));
		ListAppender<ILoggingEvent> logged = capture();

		// when
		try {
			source.credentials("target");
		}
		finally {
			release(logged);
		}

		// then
		assertThat(logged.list).isEmpty();
	}

	@Test
	void aFileOthersCanWriteIsRefused() throws IOException {
		// given
		Path file = credentialsFile(FILE_BOTH_KINDS, "rw-r--rw-");
		CredentialsSource source = new CredentialsSource(Map.of(), file);

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("source"))
			.withMessageContaining(file.toString())
			.withMessageContaining("writable by others")
			.withMessageContaining("rw-r--rw-")
			.withMessageContaining("chmod 600 " + file)
			.withMessageNotContaining("file-source-key");
	}

	@Test
	void aFileTheGroupCanWriteIsRefused() throws IOException {
		// given
		Path file = credentialsFile(FILE_BOTH_KINDS, "rw--w----");
		CredentialsSource source = new CredentialsSource(Map.of(), file);

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("source"))
			.withMessageContaining("writable by others")
			.withMessageContaining("chmod 600");
	}

	@Test
	void theFileIsNotReadWhenTheEnvironmentAnswers() throws IOException {
		// given
		Path file = credentialsFile(FILE_BOTH_KINDS, "rw-rw-rw-");
		CredentialsSource source = new CredentialsSource(Map.of("RAX_USERNAME", "alice", "RAX_API_KEY", "key"), file);

		// when
		Credentials credentials = source.credentials("source");

		// then
		assertThat(credentials.username()).isEqualTo("alice");
	}

	@Test
	void aMissingFileIsRefused() {
		// given
		Path missing = this.dir.resolve("missing.properties");
		CredentialsSource source = new CredentialsSource(Map.of(), missing);

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("source"))
			.withMessage("credentials file " + missing + " does not exist or is not a file");
	}

	@Test
	void aDirectoryIsRefusedAsAFile() {
		// given
		CredentialsSource source = new CredentialsSource(Map.of(), this.dir);

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> source.credentials("source"))
			.withMessageContaining("is not a file");
	}

	@Test
	void toStringNeverShowsTheKey() {
		// given
		Credentials credentials = new Credentials("alice", "0123456789abcdef-secret");

		// when
		String text = credentials.toString();

		// then
		assertThat(text).contains("alice").doesNotContain("0123456789abcdef-secret").doesNotContain("secret");
		assertThat(String.valueOf(credentials)).isEqualTo(text);
	}

	@Test
	void credentialsNeedAUsernameAndAKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Credentials(" ", "key"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Credentials("alice", null));
	}

	private static ListAppender<ILoggingEvent> capture() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger(CredentialsSource.class)).addAppender(appender);
		return appender;
	}

	private static void release(ListAppender<ILoggingEvent> appender) {
		((Logger) LoggerFactory.getLogger(CredentialsSource.class)).detachAppender(appender);
		appender.stop();
	}

	private Path credentialsFile(String content, String permissions) throws IOException {
		Path file = Files.writeString(this.dir.resolve("credentials"), content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
		return file;
	}

}

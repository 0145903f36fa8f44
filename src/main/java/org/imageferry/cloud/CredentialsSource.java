package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where API keys come from — the environment or a credentials file, never the command
 * line, job parameters or the job profile. For each side ({@code source},
 * {@code target}), the first that is set wins:
 * <ol>
 * <li>{@code RAX_SOURCE_USERNAME} and {@code RAX_SOURCE_API_KEY} (or
 * {@code RAX_TARGET_...});</li>
 * <li>{@code RAX_USERNAME} and {@code RAX_API_KEY}, for both sides of a move within one
 * account;</li>
 * <li>in the credentials file, {@code source.username}/{@code source.api-key} (or
 * {@code target.}), then {@code username}/{@code api-key}.</li>
 * </ol>
 * A credentials file others can write is refused (anyone could swap the key); one others
 * can read is used, with a warning to make it owner-only. The file is read once, however
 * many sides and connections ask, so a command warns once.
 */
public final class CredentialsSource {

	private static final Logger log = LoggerFactory.getLogger(CredentialsSource.class);

	private static final Set<PosixFilePermission> OTHERS_READ = EnumSet.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.OTHERS_READ);

	private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
			PosixFilePermission.OTHERS_WRITE);

	private final Map<String, String> environment;

	private final Path file;

	private Properties fileContents;

	public CredentialsSource(Map<String, String> environment, Path file) {
		this.environment = environment;
		this.file = file;
	}

	/**
	 * @param side {@code source} or {@code target}
	 * @throws IllegalStateException with a message saying what to set, when nothing is
	 */
	public Credentials credentials(String side) {
		String upper = side.toUpperCase(Locale.ROOT);
		Credentials found = pair(this.environment.get("RAX_" + upper + "_USERNAME"),
				this.environment.get("RAX_" + upper + "_API_KEY"));
		if (found == null) {
			found = pair(this.environment.get("RAX_USERNAME"), this.environment.get("RAX_API_KEY"));
		}
		if (found == null && this.file != null) {
			Properties properties = readFile();
			found = pair(properties.getProperty(side + ".username"), properties.getProperty(side + ".api-key"));
			if (found == null) {
				found = pair(properties.getProperty("username"), properties.getProperty("api-key"));
			}
		}
		if (found == null) {
			throw new IllegalStateException("no credentials for the " + side + " account: set RAX_USERNAME and "
					+ "RAX_API_KEY (or RAX_" + upper + "_USERNAME and RAX_" + upper + "_API_KEY) in the environment, "
					+ "or name a credentials file with image-ferry.credentials-file");
		}
		return found;
	}

	private static Credentials pair(String username, String apiKey) {
		if (username == null || username.isBlank() || apiKey == null || apiKey.isBlank()) {
			return null;
		}
		return new Credentials(username.strip(), apiKey.strip());
	}

	private synchronized Properties readFile() {
		if (this.fileContents == null) {
			this.fileContents = load();
		}
		return this.fileContents;
	}

	private Properties load() {
		if (!Files.isRegularFile(this.file)) {
			throw new IllegalStateException("credentials file " + this.file + " does not exist or is not a file");
		}
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(this.file);
			String mode = PosixFilePermissions.toString(permissions);
			if (permissions.stream().anyMatch(OTHERS_WRITE::contains)) {
				throw new IllegalStateException("credentials file " + this.file + " is writable by others (" + mode
						+ "): anyone could swap the key; make it owner-only: chmod 600 " + this.file);
			}
			if (permissions.stream().anyMatch(OTHERS_READ::contains)) {
				log.warn("credentials file {} is readable by others ({}); make it owner-only: chmod 600 {}", this.file,
						mode, this.file);
			}
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: nothing to check
		}
		catch (IOException ex) {
			throw new IllegalStateException("credentials file " + this.file + " cannot be read: " + ex.getMessage());
		}
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(this.file)) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException("credentials file " + this.file + " cannot be read: " + ex.getMessage());
		}
		return properties;
	}

}

package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

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
 * A target of several names its account ({@code RAX_IAD_USERNAME}, {@code iad.username})
 * before the target's: see {@link #credentials(List)}. A credentials file others can
 * write is refused (anyone could swap the key); one others can read is used, with a
 * warning to make it owner-only. The file is read once, however many sides and
 * connections ask, so a command warns once.
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
		return credentials(List.of(side));
	}

	/**
	 * Credentials under the first of {@code names} that has a pair — {@code iad} then
	 * {@code target} reads {@code RAX_IAD_*}, then {@code RAX_TARGET_*}, then
	 * {@code RAX_*} (in the file: {@code iad.username}, {@code target.username},
	 * {@code username}) — so a target of several names its own account only when it
	 * differs.
	 * @param names e.g. {@code [iad, target]}; a name's {@code -} is {@code _} in a
	 * variable
	 * @throws IllegalStateException with a message saying what to set, when nothing is
	 */
	public Credentials credentials(List<String> names) {
		Credentials found = null;
		for (String name : names) {
			String upper = variable(name);
			found = (found != null) ? found : pair(this.environment.get("RAX_" + upper + "_USERNAME"),
					this.environment.get("RAX_" + upper + "_API_KEY"));
		}
		if (found == null) {
			found = pair(this.environment.get("RAX_USERNAME"), this.environment.get("RAX_API_KEY"));
		}
		if (found == null && this.file != null) {
			Properties properties = readFile();
			for (String name : names) {
				found = (found != null) ? found
						: pair(properties.getProperty(name + ".username"), properties.getProperty(name + ".api-key"));
			}
			if (found == null) {
				found = pair(properties.getProperty("username"), properties.getProperty("api-key"));
			}
		}
		if (found == null) {
			String pairs = names.stream()
				.map((name) -> "RAX_" + variable(name) + "_USERNAME and RAX_" + variable(name) + "_API_KEY")
				.collect(Collectors.joining(", or "));
			throw new IllegalStateException("no credentials for the " + names.get(0) + " account: set RAX_USERNAME "
					+ "and RAX_API_KEY (or " + pairs + ") in the environment, "
					+ "or name a credentials file with image-ferry.credentials-file");
		}
		return found;
	}

	private static String variable(String name) {
		return name.toUpperCase(Locale.ROOT).replace('-', '_');
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

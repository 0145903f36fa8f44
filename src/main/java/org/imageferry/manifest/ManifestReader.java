package org.imageferry.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a CSV manifest: a header naming {@code image_id} (required) and
 * {@code target_name} (optional), then one image a line. Tolerates a UTF-8 BOM, CRLF or
 * LF endings, blank lines and {@code #} comments; fields may be quoted as in RFC 4180.
 * Every line that cannot be migrated (not a UUID, a duplicate, invalid UTF-8, control
 * characters, too long, more fields than the header names) becomes a
 * {@link ManifestProblem} naming its line; with {@code strict} any problem refuses the
 * whole manifest. A manifest that lists no image, or more image lines than the limit, is
 * refused too. The file is streamed, so a manifest over the limit is refused at the first
 * line beyond it, unread past there.
 */
public final class ManifestReader {

	public static final String IMAGE_ID = "image_id";

	public static final String TARGET_NAME = "target_name";

	static final int MAX_LINE = 4096;

	static final int MAX_NAME = 255;

	private static final int MAX_WARNINGS = 10;

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private ManifestReader() {
	}

	/**
	 * @param maxLines the most image lines (valid or not) a manifest may list; beyond it
	 * the manifest is refused as soon as the line is reached, without reading the rest
	 */
	public static Manifest read(Path file, boolean strict, int maxLines) {
		if (Files.isDirectory(file)) {
			throw new ManifestException("manifest " + file + " is a directory, not a CSV file");
		}
		if (Files.exists(file) && !Files.isRegularFile(file)) {
			throw new ManifestException("manifest " + file + " is not a regular file (a device or a pipe?): a run "
					+ "reads its manifest again when it starts and restarts, so save it to a file first");
		}
		MessageDigest sha = sha256();
		List<ManifestEntry> entries = new ArrayList<>();
		List<ManifestProblem> problems = new ArrayList<>();
		List<String> warnings = new ArrayList<>();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
			parse(file, new LineSplitter(in), maxLines, entries, problems, warnings);
		}
		catch (NoSuchFileException ex) {
			throw new ManifestException("manifest " + file + " does not exist");
		}
		catch (AccessDeniedException ex) {
			throw new ManifestException("manifest " + file + " cannot be read: permission denied");
		}
		catch (IOException ex) {
			throw new ManifestException("manifest " + file + " cannot be read: " + ex.getMessage());
		}
		if (strict && !problems.isEmpty()) {
			StringBuilder message = new StringBuilder("manifest " + file + " refused (--strict): " + problems.size()
					+ " invalid line" + ((problems.size() == 1) ? "" : "s"));
			problems.stream().limit(20).forEach((p) -> message.append("\n  ").append(p));
			if (problems.size() > 20) {
				message.append("\n  ... and ").append(problems.size() - 20).append(" more");
			}
			throw new ManifestException(message.toString());
		}
		return new Manifest(HexFormat.of().formatHex(sha.digest()), entries, problems, warnings);
	}

	private static void parse(Path file, LineSplitter lines, int maxLines, List<ManifestEntry> entries,
			List<ManifestProblem> problems, List<String> warnings) throws IOException {
		CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		Map<String, Integer> seen = new HashMap<>();
		int idColumn = -1;
		int nameColumn = -1;
		int columns = 0;
		byte[] raw;
		int imageLines = 0;
		while ((raw = lines.next()) != null) {
			int number = lines.number();
			if (idColumn >= 0 && !skipped(raw) && ++imageLines > maxLines) {
				throw new ManifestException("manifest " + file + " line " + number + ": more than " + maxLines
						+ " image lines; split the manifest, or raise image-ferry.max-manifest-lines in the job profile");
			}
			if (idColumn < 0 && notText(raw) != null) {
				throw new ManifestException("manifest " + file + " line " + number + ": " + notText(raw));
			}
			if (raw.length > MAX_LINE) {
				if (idColumn < 0) {
					throw new ManifestException(
							"manifest " + file + " line " + number + ": header longer than " + MAX_LINE + " bytes");
				}
				problems.add(new ManifestProblem(number, "", "line longer than " + MAX_LINE + " bytes"));
				continue;
			}
			String line;
			try {
				line = utf8.decode(ByteBuffer.wrap(raw)).toString();
			}
			catch (CharacterCodingException ex) {
				if (idColumn < 0) {
					throw new ManifestException("manifest " + file + " line " + number + ": not valid UTF-8 text");
				}
				problems.add(new ManifestProblem(number, "", "not valid UTF-8 text"));
				continue;
			}
			if (number == 1 && line.startsWith("\uFEFF")) {
				line = line.substring(1);
			}
			if (line.isBlank() || line.stripLeading().startsWith("#")) {
				continue;
			}
			List<String> fields;
			try {
				fields = CsvLine.split(line);
			}
			catch (IllegalArgumentException ex) {
				if (idColumn < 0) {
					throw new ManifestException("manifest " + file + " line " + number + ": " + ex.getMessage());
				}
				problems.add(new ManifestProblem(number, "", ex.getMessage()));
				continue;
			}
			if (idColumn < 0) {
				List<String> header = fields.stream().map((f) -> f.strip().toLowerCase(Locale.ROOT)).toList();
				idColumn = header.indexOf(IMAGE_ID);
				if (idColumn < 0) {
					throw new ManifestException("manifest " + file + " line " + number + ": expected a header with an "
							+ IMAGE_ID + " column (and optionally " + TARGET_NAME + "), found '" + abbreviate(line)
							+ "'" + (line.toLowerCase(Locale.ROOT).contains(IMAGE_ID)
									? "; columns must be separated by commas" : ""));
				}
				nameColumn = header.indexOf(TARGET_NAME);
				columns = header.size();
				List<String> unused = header.stream()
					.filter((h) -> !h.equals(IMAGE_ID) && !h.equals(TARGET_NAME))
					.toList();
				unused.stream()
					.limit(MAX_WARNINGS)
					.forEach((h) -> warnings.add("manifest column '" + abbreviate(h) + "' is not used"));
				if (unused.size() > MAX_WARNINGS) {
					warnings.add("... and " + (unused.size() - MAX_WARNINGS) + " more manifest columns not used");
				}
				continue;
			}
			String id = (idColumn < fields.size()) ? fields.get(idColumn).strip() : "";
			String name = (nameColumn >= 0 && nameColumn < fields.size()) ? fields.get(nameColumn).strip() : "";
			String problem = (fields.size() > columns) ? extraFields(fields.size(), columns) : check(id, name);
			if (problem == null && seen.containsKey(id.toLowerCase(Locale.ROOT))) {
				problem = "duplicate of line " + seen.get(id.toLowerCase(Locale.ROOT));
			}
			if (problem != null) {
				problems.add(new ManifestProblem(number, abbreviate(id), problem));
				continue;
			}
			seen.put(id.toLowerCase(Locale.ROOT), number);
			entries.add(new ManifestEntry(number, id.toLowerCase(Locale.ROOT), name.isEmpty() ? null : name));
		}
		if (idColumn < 0) {
			throw new ManifestException("manifest " + file + " is empty: expected a header line with an " + IMAGE_ID
					+ " column, then one image id a line");
		}
		if (entries.isEmpty() && problems.isEmpty()) {
			throw new ManifestException(
					"manifest " + file + " lists no images: its header is followed by no " + IMAGE_ID + " line");
		}
	}

	/**
	 * What makes a would-be header line plainly not CSV text, or null: said up front
	 * rather than as a header without {@code image_id} or invalid UTF-8.
	 */
	private static String notText(byte[] raw) {
		if (startsWith(raw, 0xFF, 0xFE) || startsWith(raw, 0xFE, 0xFF)) {
			return "UTF-16 text; save the manifest as UTF-8 CSV";
		}
		if (startsWith(raw, 0x1F, 0x8B)) {
			return "gzip-compressed; decompress it first";
		}
		if (startsWith(raw, 'P', 'K', 3, 4)) {
			return "a ZIP archive (a spreadsheet saved as .xlsx?); save it as CSV";
		}
		for (byte b : raw) {
			if (b == 0) {
				return "holds NUL bytes, so it is not CSV text (UTF-16? binary?); save the manifest as UTF-8 CSV";
			}
		}
		return null;
	}

	private static boolean startsWith(byte[] raw, int... prefix) {
		if (raw.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((raw[i] & 0xFF) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A blank or comment line, which lists no image; judged as the loop below judges it
	 * (an over-long line always lists one).
	 */
	private static boolean skipped(byte[] raw) {
		if (raw.length > MAX_LINE) {
			return false;
		}
		String line = new String(raw, StandardCharsets.UTF_8);
		return line.isBlank() || line.stripLeading().startsWith("#");
	}

	/**
	 * More fields than the header names columns: most often a value with an unquoted
	 * comma, which shifts or cuts what the line means (a target name {@code web, 01}
	 * would become {@code web}), so the line is not guessed at.
	 */
	private static String extraFields(int fields, int columns) {
		return fields + " fields but the header names " + columns + " column" + ((columns == 1) ? "" : "s")
				+ "; quote a value that holds a comma";
	}

	private static String check(String id, String name) {
		if (id.isEmpty()) {
			return "no " + IMAGE_ID;
		}
		if (!UUID.matcher(id).matches()) {
			return IMAGE_ID + " '" + abbreviate(id) + "' is not a UUID";
		}
		if (name.length() > MAX_NAME) {
			return TARGET_NAME + " longer than " + MAX_NAME + " characters";
		}
		if (name.chars().anyMatch(Character::isISOControl)) {
			return TARGET_NAME + " contains control characters";
		}
		return null;
	}

	/**
	 * Short and printable: control characters (C0 and C1, such as an escape sequence's
	 * CSI) and invisible formatting ones (a right-to-left override) become '?'.
	 */
	static String abbreviate(String text) {
		String printable = text.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
		return (printable.length() > 60) ? printable.substring(0, 57) + "..." : printable;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

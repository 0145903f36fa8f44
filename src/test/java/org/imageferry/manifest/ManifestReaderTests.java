package org.imageferry.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

class ManifestReaderTests {

	private static final int MAX_LINES = 100_000;

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	private static final String B = "7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70";

	private static final String C = "e8e5a942-f3ce-4531-8141-9a53b87c0a42";

	@TempDir
	Path dir;

	@Test
	void readsIdsAndOptionalTargetNamesInFileOrder() {
		// given
		Path file = write("image_id,target_name\n" + A + ",web-01\n" + B + ",\n" + C + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, "web-01"), new ManifestEntry(3, B, null),
				new ManifestEntry(4, C, null));
		assertThat(manifest.problems()).isEmpty();
		assertThat(manifest.warnings()).isEmpty();
	}

	@Test
	void headerWithoutTargetNameAndInAnyCaseAndOrder() {
		// given
		Path file = write("Target_Name , IMAGE_ID\nweb-01," + A + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, "web-01"));
	}

	@Test
	void idsAreLowerCasedAndStripped() {
		// given
		Path file = write("image_id\n  " + A.toUpperCase() + "  \n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, null));
	}

	@Test
	void toleratesBomCrlfBlankLinesAndComments() {
		// given
		Path file = write("\uFEFFimage_id,target_name\r\n\r\n# a comment, with a comma\r\n   # indented comment\r\n" + A
				+ ",one\r\n   \r\n" + B + ",two\r\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(5, A, "one"), new ManifestEntry(7, B, "two"));
		assertThat(manifest.problems()).isEmpty();
	}

	@Test
	void commentsBeforeTheHeaderAreSkipped() {
		// given
		Path file = write("# exported by ops\n\nimage_id\n" + A + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(4, A, null));
	}

	@Test
	void toleratesLoneCarriageReturnEndings() {
		// given
		Path file = write("image_id\r" + A + "\r\r" + B + "\r");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, null), new ManifestEntry(4, B, null));
	}

	@Test
	void toleratesMixedEndingsAndNoFinalNewline() {
		// given
		Path file = write("image_id\n" + A + "\r\n" + B + "\r" + C);

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).extracting(ManifestEntry::line, ManifestEntry::imageId)
			.containsExactly(tuple(2, A), tuple(3, B), tuple(4, C));
	}

	@Test
	void quotedTargetNamesMayHoldCommasAndDoubledQuotes() {
		// given
		Path file = write("image_id,target_name\n\"" + A + "\",\"web, the \"\"first\"\"\"\n" + B + ",\"plain\"\n" + C
				+ ",  \"  padded  \"  \n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, "web, the \"first\""),
				new ManifestEntry(3, B, "plain"), new ManifestEntry(4, C, "padded"));
		assertThat(manifest.problems()).isEmpty();
	}

	@Test
	void unterminatedQuoteAndTextAfterAClosingQuoteAreProblemsOfTheirLine() {
		// given
		Path file = write("image_id,target_name\n" + A + ",\"open\n" + B + ",\"closed\"x\n" + C + ",ok\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(4, C, "ok"));
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(2, "unterminated quoted field"),
					tuple(3, "text after a closing quote at column 46"));
	}

	@Test
	void unknownColumnsAreWarnedAboutAndIgnored() {
		// given
		Path file = write("owner,image_id,size,target_name\nalice," + A + ",10,web\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, "web"));
		assertThat(manifest.problems()).isEmpty();
		assertThat(manifest.warnings()).containsExactly("manifest column 'owner' is not used",
				"manifest column 'size' is not used");
	}

	@Test
	void moreFieldsThanTheHeaderNamesAreAProblemOfTheirLine() {
		// given: an unquoted comma in a name, and a spreadsheet's extra cell
		Path file = write("image_id,target_name\n" + A + ",web, 01\n" + B + ",app,\n" + C + ",db\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(4, C, "db"));
		assertThat(manifest.problems())
			.extracting(ManifestProblem::line, ManifestProblem::imageId, ManifestProblem::message)
			.containsExactly(tuple(2, A, "3 fields but the header names 2 columns; quote a value that holds a comma"),
					tuple(3, B, "3 fields but the header names 2 columns; quote a value that holds a comma"));
	}

	@Test
	void fewerFieldsThanTheHeaderNamesAreFine() {
		// given
		Path file = write("image_id,target_name,owner\n" + A + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, true, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, null));
	}

	@Test
	void strictRefusesAManifestWithALineOfExtraFields() {
		// given
		Path file = write("image_id\n" + A + "\n" + B + ",extra\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, true, MAX_LINES))
			.withMessage("manifest " + file + " refused (--strict): 1 invalid line\n"
					+ "  line 3: 2 fields but the header names 1 column; quote a value that holds a comma");
	}

	@Test
	void invalidUuidsAreProblemsNamingTheLineAndField() {
		// given
		Path file = write("image_id\n" + A + "\nnot-a-uuid\n\n" + B.substring(1) + "\n" + B + "x\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, null));
		assertThat(manifest.problems())
			.extracting(ManifestProblem::line, ManifestProblem::imageId, ManifestProblem::message)
			.containsExactly(tuple(3, "not-a-uuid", "image_id 'not-a-uuid' is not a UUID"),
					tuple(5, B.substring(1), "image_id '" + B.substring(1) + "' is not a UUID"),
					tuple(6, B + "x", "image_id '" + B + "x' is not a UUID"));
		assertThat(manifest.problems().get(0)).hasToString("line 3: image_id 'not-a-uuid' is not a UUID");
	}

	@Test
	void anEmptyImageIdIsAProblem() {
		// given
		Path file = write("image_id,target_name\n,web\n  ,web2\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).isEmpty();
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(2, "no image_id"), tuple(3, "no image_id"));
	}

	@Test
	void duplicatesNameTheFirstLineIgnoringCase() {
		// given
		Path file = write("image_id\n" + A + "\n" + B + "\n" + A + "\n# comment\n" + A.toUpperCase() + "\n" + B + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(2, A, null), new ManifestEntry(3, B, null));
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(4, "duplicate of line 2"), tuple(6, "duplicate of line 2"),
					tuple(7, "duplicate of line 3"));
		assertThat(manifest.problems().get(1)).hasToString("line 6: duplicate of line 2");
	}

	@Test
	void aDuplicateOfAnInvalidLineIsNotADuplicate() {
		// given
		Path file = write("image_id,target_name\n" + A + ",bad\tname\n" + A + ",good\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(3, A, "good"));
		assertThat(manifest.problems()).extracting(ManifestProblem::line).containsExactly(2);
	}

	@Test
	void controlCharactersInATargetNameAreAProblem() {
		// given
		Path file = write("image_id,target_name\n" + A + ",web\u0007bell\n" + B + ",tab\tname\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).isEmpty();
		assertThat(manifest.problems())
			.extracting(ManifestProblem::line, ManifestProblem::imageId, ManifestProblem::message)
			.containsExactly(tuple(2, A, "target_name contains control characters"),
					tuple(3, B, "target_name contains control characters"));
	}

	@Test
	void aTargetNameLongerThan255CharactersIsAProblem() {
		// given
		Path file = write(
				"image_id,target_name\n" + A + "," + "n".repeat(255) + "\n" + B + "," + "n".repeat(256) + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).extracting(ManifestEntry::line).containsExactly(2);
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(3, "target_name longer than 255 characters"));
	}

	@Test
	void invalidUtf8IsAProblemOfItsLineAndTheRestIsRead() {
		// given
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(("image_id,target_name\n" + A + ",caf").getBytes(StandardCharsets.UTF_8));
		bytes.writeBytes(new byte[] { (byte) 0xC3, (byte) 0x28, '\n' });
		bytes.writeBytes((B + ",café\n").getBytes(StandardCharsets.UTF_8));
		Path file = write(bytes.toByteArray());

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(3, B, "café"));
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(2, "not valid UTF-8 text"));
	}

	@Test
	void invalidUtf8InTheHeaderRefusesTheManifest() {
		// given
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(new byte[] { 'i', 'm', (byte) 0xFF, '\n' });
		bytes.writeBytes((A + "\n").getBytes(StandardCharsets.UTF_8));
		Path file = write(bytes.toByteArray());

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file + " line 1: not valid UTF-8 text");
	}

	@Test
	void overLongLinesAreProblemsAndDoNotDisturbLineNumbers() {
		// given
		String longName = "n".repeat(ManifestReader.MAX_LINE + 10_000);
		String exactly = A + "," + "x".repeat(ManifestReader.MAX_LINE - A.length() - 1);
		Path file = write("image_id,target_name\n" + B + "," + longName + "\n" + exactly + "\n" + C + ",ok\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(exactly).hasSize(ManifestReader.MAX_LINE);
		assertThat(manifest.problems()).extracting(ManifestProblem::line, ManifestProblem::message)
			.containsExactly(tuple(2, "line longer than 4096 bytes"),
					tuple(3, "target_name longer than 255 characters"));
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(4, C, "ok"));
	}

	@Test
	void anOverLongHeaderRefusesTheManifest() {
		// given
		Path file = write("image_id," + "x".repeat(ManifestReader.MAX_LINE) + "\n" + A + "\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file + " line 1: header longer than 4096 bytes");
	}

	@Test
	void nulAndBinaryBytesInDataLinesAreProblems() {
		// given
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(("image_id,target_name\n" + A + ",a\0b\n").getBytes(StandardCharsets.UTF_8));
		bytes.writeBytes(new byte[] { 0, 1, 2, 3, 4, '\n' });
		bytes.writeBytes((C + "\n").getBytes(StandardCharsets.UTF_8));
		Path file = write(bytes.toByteArray());

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).containsExactly(new ManifestEntry(4, C, null));
		assertThat(manifest.problems())
			.extracting(ManifestProblem::line, ManifestProblem::imageId, ManifestProblem::message)
			.containsExactly(tuple(2, A, "target_name contains control characters"),
					tuple(3, "?????", "image_id '?????' is not a UUID"));
	}

	@Test
	void aBinaryFileIsRefusedForWantOfAHeader() {
		// given
		byte[] binary = new byte[4096];
		for (int i = 0; i < binary.length; i++) {
			binary[i] = (byte) (i * 31);
		}
		binary[0] = 0;
		Path file = write(binary);

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessageStartingWith("manifest " + file + " line 1: ");
	}

	@Test
	void aHeaderWithoutImageIdRefusesTheManifestNamingFileAndLine() {
		// given
		Path file = write("# ids\nid,name\n" + A + ",web\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file + " line 2: expected a header with an image_id column "
					+ "(and optionally target_name), found 'id,name'");
	}

	@Test
	void aFileStartingWithAnIdInsteadOfAHeaderIsRefused() {
		// given
		Path file = write(A + "\n" + B + "\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessageContaining("manifest " + file + " line 1: expected a header with an image_id column")
			.withMessageContaining(A);
	}

	@Test
	void anEmptyFileIsRefused() {
		// given
		Path file = write("");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file
					+ " is empty: expected a header line with an image_id column, then one image id a line");
	}

	@Test
	void aFileOfOnlyBlankLinesCommentsAndBomIsRefusedAsEmpty() {
		// given
		Path file = write("\uFEFF\n\r\n# nothing here\n   \n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessageStartingWith("manifest " + file + " is empty");
	}

	@Test
	void aHeaderOnlyManifestIsRefused() {
		// given
		Path file = write("image_id,target_name\n# nothing yet\n\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file + " lists no images: its header is followed by no image_id line");
	}

	@Test
	void aManifestOfOnlyInvalidLinesListsImages() {
		// given
		Path file = write("image_id\nnot-a-uuid\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).isEmpty();
		assertThat(manifest.problems()).extracting(ManifestProblem::line).containsExactly(2);
	}

	@Test
	void imageLinesUpToTheLimitAreRead() {
		// given
		Path file = write("image_id\n" + A + "\n# comment\n\n" + B + "\nnot-a-uuid\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, 3);

		// then
		assertThat(manifest.entries()).hasSize(2);
		assertThat(manifest.problems()).hasSize(1);
	}

	@Test
	void moreImageLinesThanTheLimitRefuseTheManifestAtTheFirstLineBeyond() {
		// given
		Path file = write("image_id\n" + A + "\n# comment\n\nnot-a-uuid\n" + B + "\n" + C + "\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, 2))
			.withMessage("manifest " + file + " line 6: more than 2 image lines; split the manifest, or raise "
					+ "image-ferry.max-manifest-lines in the job profile");
	}

	@Test
	void filesThatAreNotCsvTextAreNamedForWhatTheyAre() throws IOException {
		// given
		Path utf16 = this.dir.resolve("utf16.csv");
		Files.write(utf16, ("\uFEFFimage_id\n" + A + "\n").getBytes(StandardCharsets.UTF_16LE));
		Path gzip = this.dir.resolve("manifest.csv.gz");
		try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
			out.write(("image_id\n" + A + "\n").getBytes(StandardCharsets.UTF_8));
		}
		Path xlsx = this.dir.resolve("manifest.xlsx");
		Files.write(xlsx, new byte[] { 'P', 'K', 3, 4, 20, 0, 0, 0 });
		Path nul = this.dir.resolve("nul.csv");
		Files.write(nul, ("image_id\n" + A + "\n").getBytes(StandardCharsets.UTF_16BE));

		// when / then
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> ManifestReader.read(utf16, false, MAX_LINES))
			.withMessage("manifest " + utf16 + " line 1: UTF-16 text; save the manifest as UTF-8 CSV");
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(gzip, false, MAX_LINES))
			.withMessage("manifest " + gzip + " line 1: gzip-compressed; decompress it first");
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(xlsx, false, MAX_LINES))
			.withMessageContaining("line 1: a ZIP archive (a spreadsheet saved as .xlsx?)");
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(nul, false, MAX_LINES))
			.withMessageContaining("line 1: holds NUL bytes, so it is not CSV text");
	}

	@Test
	void aHeaderSeparatedByOtherThanCommasSaysSo() {
		// given
		Path file = write("image_id;target_name\n" + A + ";web\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessageEndingWith("found 'image_id;target_name'; columns must be separated by commas");
	}

	@Test
	void manyUnusedColumnsGiveTenWarningsAndACount() {
		// given
		StringBuilder header = new StringBuilder("image_id");
		for (int i = 0; i < 25; i++) {
			header.append(",c").append(i);
		}
		Path file = write(header + "\n" + A + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.warnings()).hasSize(11)
			.startsWith("manifest column 'c0' is not used")
			.endsWith("... and 15 more manifest columns not used");
	}

	@Test
	void aDeviceIsRefusedRatherThanReadForever() {
		// given
		Path zero = Path.of("/dev/zero");
		assumeThat(zero).exists();

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(zero, false, MAX_LINES))
			.withMessageStartingWith("manifest /dev/zero is not a regular file");
	}

	@Test
	void aDirectoryIsRefused() {
		// given
		Path directory = this.dir.resolve("manifest.csv");
		mkdir(directory);

		// when / then
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> ManifestReader.read(directory, false, MAX_LINES))
			.withMessage("manifest " + directory + " is a directory, not a CSV file");
	}

	@Test
	void aMissingFileIsRefused() {
		// given
		Path missing = this.dir.resolve("nope.csv");

		// when / then
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> ManifestReader.read(missing, false, MAX_LINES))
			.withMessage("manifest " + missing + " does not exist");
	}

	@Test
	void anUnreadableFileIsRefused() throws IOException {
		// given
		Path file = write("image_id\n" + A + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		assumeThat(Files.isReadable(file)).as("chmod 000 does not stop this user (root?) from reading").isFalse();

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, false, MAX_LINES))
			.withMessage("manifest " + file + " cannot be read: permission denied");
	}

	@Test
	void sha256IsOfTheFileBytes() {
		// given
		String text = "image_id,target_name\n" + A + ",web\n" + B + ",db\n";
		Path one = write("one.csv", text.getBytes(StandardCharsets.UTF_8));
		Path same = write("same.csv", text.getBytes(StandardCharsets.UTF_8));
		Path changed = write("changed.csv", text.replace("web", "wec").getBytes(StandardCharsets.UTF_8));
		Path crlf = write("crlf.csv", text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));

		// when
		Manifest first = ManifestReader.read(one, false, MAX_LINES);
		Manifest second = ManifestReader.read(same, false, MAX_LINES);
		Manifest third = ManifestReader.read(changed, false, MAX_LINES);
		Manifest fourth = ManifestReader.read(crlf, false, MAX_LINES);

		// then
		assertThat(first.sha256()).isEqualTo(sha256(text.getBytes(StandardCharsets.UTF_8)));
		assertThat(second.sha256()).isEqualTo(first.sha256());
		assertThat(third.sha256()).isNotEqualTo(first.sha256());
		assertThat(fourth.sha256()).isNotEqualTo(first.sha256());
		assertThat(fourth.entries()).isEqualTo(first.entries());
	}

	@Test
	void sha256CoversBytesAfterAnOverLongLine() {
		// given
		byte[] bytes = ("image_id\n" + "x".repeat(100_000) + "\n" + A + "\n").getBytes(StandardCharsets.UTF_8);
		Path file = write(bytes);

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.sha256()).isEqualTo(sha256(bytes));
	}

	@Test
	void strictRefusesTheWholeManifestListingTheFirstTwentyProblemsAndACount() {
		// given
		StringBuilder text = new StringBuilder("image_id\n" + A + "\n");
		for (int i = 0; i < 25; i++) {
			text.append("bad-").append(i).append('\n');
		}
		Path file = write(text.toString());

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, true, MAX_LINES))
			.satisfies((ex) -> {
				String[] lines = ex.getMessage().split("\n");
				assertThat(lines[0]).isEqualTo("manifest " + file + " refused (--strict): 25 invalid lines");
				assertThat(lines).hasSize(22);
				assertThat(lines[1]).isEqualTo("  line 3: image_id 'bad-0' is not a UUID");
				assertThat(lines[20]).isEqualTo("  line 22: image_id 'bad-19' is not a UUID");
				assertThat(lines[21]).isEqualTo("  ... and 5 more");
				assertThat(ex.getMessage()).doesNotContain("bad-20");
			});
	}

	@Test
	void strictWithOneProblemSaysLineInTheSingular() {
		// given
		Path file = write("image_id\n" + A + "\n" + A + "\n");

		// when / then
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> ManifestReader.read(file, true, MAX_LINES))
			.withMessage("manifest " + file + " refused (--strict): 1 invalid line\n  line 3: duplicate of line 2");
	}

	@Test
	void strictAcceptsAManifestWithoutProblems() {
		// given
		Path file = write("image_id\n" + A + "\n# fine\n\n" + B + "\n");

		// when
		Manifest manifest = ManifestReader.read(file, true, MAX_LINES);

		// then
		assertThat(manifest.entries()).hasSize(2);
	}

	@Test
	void readsAHundredThousandLines() throws IOException {
		// given
		Path file = this.dir.resolve("big.csv");
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write("image_id,target_name\n".getBytes(StandardCharsets.US_ASCII));
			for (long i = 0; i < 100_000; i++) {
				out.write((new UUID(0x1234L, i) + ",image-" + i + "\n").getBytes(StandardCharsets.US_ASCII));
			}
		}

		// when
		Manifest manifest = ManifestReader.read(file, false, MAX_LINES);

		// then
		assertThat(manifest.entries()).hasSize(100_000);
		assertThat(manifest.problems()).isEmpty();
		assertThat(manifest.entries().get(99_999))
			.isEqualTo(new ManifestEntry(100_001, new UUID(0x1234L, 99_999).toString(), "image-99999"));
	}

	private Path write(String text) {
		return write(text.getBytes(StandardCharsets.UTF_8));
	}

	private Path write(byte[] bytes) {
		return write("manifest.csv", bytes);
	}

	private Path write(String name, byte[] bytes) {
		try {
			return Files.write(this.dir.resolve(name), bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void mkdir(Path directory) {
		try {
			Files.createDirectory(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

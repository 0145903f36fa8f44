package org.imageferry.simulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.imageferry.simulator.content.Content;
import org.imageferry.simulator.content.ContentRangeReader;
import org.imageferry.simulator.content.FileContent;
import org.imageferry.simulator.content.InMemory;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.simulator.content.SyntheticVhd.Defect;
import org.imageferry.testsupport.ExternalTools;
import org.imageferry.vhd.ImportFailure;
import org.imageferry.vhd.VhdValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.MIB;

/**
 * The simulator's own VHD check ({@link VhdCheck}) beside the product's
 * {@link VhdValidator}: they agree on every defect the seed page names, and they disagree
 * where the simulator, like Rackspace's {@code vhd-util check}, is stricter — a BAT that
 * points two blocks at the same data or a block into the dynamic header, and a file
 * format version other than 1.0. The product's validator accepts those, so the product
 * would start an import Rackspace refuses with 111.
 */
class VhdCheckTests {

	private static final long LIMIT = Rules.defaults().importSizeLimit();

	/**
	 * Where {@link SyntheticVhd} puts a dynamic disk's BAT: after the footer copy and
	 * header.
	 */
	private static final int BAT = 512 + 1024;

	@TempDir
	Path dir;

	private static Optional<Integer> simulator(Content vhd, long limit) throws IOException {
		return VhdCheck.check(vhd, limit).map(ImportRefusal::code);
	}

	private static Optional<Integer> product(Content vhd, long limit) throws IOException {
		return VhdValidator.check(ContentRangeReader.of(vhd), limit).map(ImportFailure::code);
	}

	@ParameterizedTest
	@CsvSource({ "NONE, false, 0", "NONE, true, 0", "NOT_A_VHD, false, 396", "NOT_A_VHD, true, 396",
			"BAD_CHECKSUM, false, 111", "BAD_CHECKSUM, true, 111", "UNSUPPORTED_TYPE, false, 523",
			"UNSUPPORTED_TYPE, true, 523", "ZERO_UUID, false, 614", "ZERO_UUID, true, 614", "DIFFERENCING, true, 721" })
	void bothJudgeTheSeedPagesDefectsAlike(Defect defect, boolean dynamic, int code) throws IOException {
		// given
		SyntheticVhd vhd = (dynamic ? SyntheticVhd.dynamic(8 * MIB, 1) : SyntheticVhd.fixed(2 * MIB, 1))
			.withDefect(defect);
		Optional<Integer> expected = (code == 0) ? Optional.empty() : Optional.of(code);

		// when
		Optional<Integer> simulator = simulator(vhd, LIMIT);
		Optional<Integer> product = product(vhd, LIMIT);

		// then
		assertThat(simulator).isEqualTo(expected);
		assertThat(product).isEqualTo(expected);
	}

	@Test
	void theDefaultLimitIs160GBForTheVirtualAndThePhysicalSize() throws IOException {
		// given: sparse dynamic disks (the file is small), and a fixed one whose file is
		// the
		// limit plus its footer
		SyntheticVhd atLimit = SyntheticVhd.dynamic(160 * Rules.GIB, 1, 1e-6);
		SyntheticVhd overLimit = SyntheticVhd.dynamic(160 * Rules.GIB + 512, 1, 1e-6);
		SyntheticVhd fixedAtLimit = SyntheticVhd.fixed(160 * Rules.GIB, 1);

		// when / then
		assertThat(LIMIT).isEqualTo(160L << 30);
		assertThat(simulator(atLimit, LIMIT)).isEmpty();
		assertThat(simulator(overLimit, LIMIT)).contains(413);
		assertThat(simulator(fixedAtLimit, LIMIT)).contains(609);
		assertThat(simulator(SyntheticVhd.fixed(160 * Rules.GIB - 512, 1), LIMIT)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "fixed", "dynamic" })
	void acceptsDisksQemuMade(String subformat) throws IOException {
		// given: a disk with 8 MiB of data written by qemu-img convert
		Path raw = this.dir.resolve("disk.raw");
		byte[] data = new byte[(int) (8 * MIB)];
		new Random(7).nextBytes(data);
		Files.write(raw, data);
		Path vhd = this.dir.resolve(subformat + ".vhd");
		ExternalTools.runOk(ExternalTools.require("qemu-img"), "convert", "-q", "-f", "raw", "-O", "vpc", "-o",
				"subformat=" + subformat, raw.toString(), vhd.toString());

		// when
		Optional<Integer> judged = simulator(FileContent.of(vhd), LIMIT);

		// then
		assertThat(judged).isEmpty();
	}

	@Test
	void aDynamicDiskCutShortWithItsFootersKeptIsRefusedByBoth() throws IOException {
		// given
		byte[] whole = SimulatorClient.read(SyntheticVhd.dynamic(8 * MIB, 3, 1));
		byte[] cut = Arrays.copyOf(whole, whole.length - (int) MIB);
		System.arraycopy(whole, whole.length - 512, cut, cut.length - 512, 512);

		// when / then
		assertThat(simulator(new InMemory(cut), LIMIT)).contains(111);
		assertThat(product(new InMemory(cut), LIMIT)).contains(111);
	}

	@Test
	void twoBlocksSharingTheirDataAreRefusedOnlyByTheSimulator() throws IOException {
		// given: a fully allocated dynamic disk whose second BAT entry is made the
		// first's
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(8 * MIB, 4, 1));
		ByteBuffer bytes = ByteBuffer.wrap(vhd);
		bytes.putInt(BAT + 4, bytes.getInt(BAT));

		// when
		Optional<Integer> simulator = simulator(new InMemory(vhd), LIMIT);
		Optional<Integer> product = product(new InMemory(vhd), LIMIT);

		// then
		assertThat(simulator).contains(111);
		assertThat(product).as("the product's validator checks each block's bounds only").isEmpty();
	}

	@Test
	void aBlockPointingIntoTheDynamicHeaderIsRefusedOnlyByTheSimulator() throws IOException {
		// given: the last BAT entry points at sector 1, where the dynamic header is
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(8 * MIB, 5, 1));
		ByteBuffer.wrap(vhd).putInt(BAT + 12, 1);

		// when
		Optional<Integer> simulator = simulator(new InMemory(vhd), LIMIT);
		Optional<Integer> product = product(new InMemory(vhd), LIMIT);

		// then
		assertThat(simulator).contains(111);
		assertThat(product).as("the product's validator only asks a block to start after the footer copy").isEmpty();
	}

	@Test
	void aBlockSizeThatIsNoPowerOfTwoIsRefusedOnlyByTheSimulator() throws IOException {
		// given: the header says 1.5 MiB blocks, six BAT entries (the BAT's padding reads
		// as unallocated ones) to cover the 8 MiB; every block still inside the file
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(8 * MIB, 7, 1));
		ByteBuffer bytes = ByteBuffer.wrap(vhd);
		bytes.putInt(512 + 28, 6);
		bytes.putInt(512 + 32, (int) (3 * MIB / 2));
		resum(vhd, 512, 1024, 36);

		// when
		Optional<Integer> simulator = simulator(new InMemory(vhd), LIMIT);
		Optional<Integer> product = product(new InMemory(vhd), LIMIT);

		// then
		assertThat(simulator).contains(111);
		assertThat(product).as("the product's validator asks only for a multiple of 512").isEmpty();
	}

	@Test
	void aFileFormatVersionOtherThanOneIsRefusedOnlyByTheSimulator() throws IOException {
		// given: a fixed disk whose footer says version 2.0, checksum made right again
		byte[] vhd = SimulatorClient.read(SyntheticVhd.fixed(2 * MIB, 6));
		int footer = vhd.length - 512;
		ByteBuffer.wrap(vhd).putInt(footer + 12, 0x00020000);
		resum(vhd, footer, 512, 64);

		// when
		Optional<Integer> simulator = simulator(new InMemory(vhd), LIMIT);
		Optional<Integer> product = product(new InMemory(vhd), LIMIT);

		// then
		assertThat(simulator).contains(111);
		assertThat(product).isEmpty();
	}

	@Test
	void anImportOfSuchADiskFailsWith111() {
		// given
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(8 * MIB, 4, 1));
		ByteBuffer bytes = ByteBuffer.wrap(vhd);
		bytes.putInt(BAT + 4, bytes.getInt(BAT));
		try (SimulatorClient client = SimulatorClient.start()) {
			client.createContainer(SimulatorClient.ALICE, "imports");
			client.putObject(SimulatorClient.ALICE, "imports", "shared-blocks.vhd", vhd);

			// when
			var task = client.runTask(SimulatorClient.ALICE,
					SimulatorClient.importTask("imports/shared-blocks.vhd", "x"));

			// then
			assertThat(task.path("status").asText()).isEqualTo("failure");
			assertThat(task.path("message").asText()).isEqualTo(ImportRefusal.UNSPECIFIED.message());
			assertThat(client.cloud.inspect().images()).isEmpty();
		}
	}

	/**
	 * Writes a structure's checksum afresh: one's complement of the sum of its other
	 * bytes.
	 */
	private static void resum(byte[] vhd, int at, int length, int checksumAt) {
		int sum = 0;
		for (int i = 0; i < length; i++) {
			if (i < checksumAt || i >= checksumAt + 4) {
				sum += vhd[at + i] & 0xFF;
			}
		}
		ByteBuffer.wrap(vhd).putInt(at + checksumAt, ~sum);
	}

}

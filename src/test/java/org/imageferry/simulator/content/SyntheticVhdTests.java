package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imageferry.simulator.content.SyntheticVhd.Defect;
import org.imageferry.testsupport.ExternalTools;
import org.imageferry.vhd.DynamicHeader;
import org.imageferry.vhd.VhdFooter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SyntheticVhdTests {

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	@ParameterizedTest
	@CsvSource({ "fixed, 5242880", "fixed, 10486272", "dynamic, 67108864", "dynamic, 10486272", "dynamic, 2097152" })
	void qemuReadsTheExactVirtualSizeAndTheExpectedDiskBytes(String kind, long virtualSize) throws IOException {
		Path qemuImg = ExternalTools.require("qemu-img");
		SyntheticVhd vhd = kind.equals("fixed") ? SyntheticVhd.fixed(virtualSize, 11)
				: SyntheticVhd.dynamic(virtualSize, 11);
		Path file = write(vhd, kind + ".vhd");

		JsonNode info = new ObjectMapper()
			.readTree(ExternalTools.runOk(qemuImg, "info", "-f", "vpc", "--output=json", file.toString()));
		assertThat(info.path("format").asText()).isEqualTo("vpc");
		assertThat(info.path("virtual-size").asLong()).isEqualTo(virtualSize);

		ExternalTools.Result check = ExternalTools.run(qemuImg, "check", "-f", "vpc", file.toString());
		assertThat(check.exitCode() == 0 || check.output().contains("does not support checks")).as(check.output())
			.isTrue();

		Path raw = this.dir.resolve(kind + ".raw");
		ExternalTools.runOk(qemuImg, "convert", "-f", "vpc", "-O", "raw", file.toString(), raw.toString());
		assertThat(Files.size(raw)).isEqualTo(virtualSize);
		assertThat(md5(FileContent.of(raw))).isEqualTo(md5(vhd.disk()));
	}

	@Test
	void aDynamicDiskIsMuchSmallerThanItsVirtualSizeAndKeepsItsDataWhereTheBatSays() throws IOException {
		SyntheticVhd vhd = SyntheticVhd.dynamic(1024 * MIB, 3);

		assertThat(vhd.allocatedBlocks()).isBetween(64, 192);
		assertThat(vhd.length()).isLessThan(vhd.virtualSize() / 2);
		assertThat(SyntheticVhd.dynamic(4 * MIB, 3, 1e-9).allocatedBlocks()).isEqualTo(1);
		assertThat(SyntheticVhd.dynamic(4 * MIB, 3, 1).allocatedBlocks()).isEqualTo(2);

		byte[] bat = read(vhd, 1536, 512 * 4);
		int lastBlockInFile = (int) ((vhd.length() - 512 - 512 - 2 * MIB) / 512);
		int allocated = 0;
		for (int i = 0; i < 512; i++) {
			int sector = java.nio.ByteBuffer.wrap(bat, i * 4, 4).getInt();
			if (sector != DynamicHeader.UNALLOCATED) {
				allocated++;
				assertThat(read(vhd, sector * 512L, 512)).containsOnly((byte) 0xFF);
				assertThat(read(vhd, sector * 512L + 512 + 1000, 3000))
					.isEqualTo(read(vhd.disk(), i * 2 * MIB + 1000, 3000));
				assertThat(sector).isLessThanOrEqualTo(lastBlockInFile);
			}
			else {
				assertThat(read(vhd.disk(), i * 2 * MIB, 4096)).containsOnly((byte) 0);
			}
		}
		assertThat(allocated).isEqualTo(vhd.allocatedBlocks());
	}

	@Test
	void theFootersAndHeaderAreTheAdvertisedOnes() throws IOException {
		SyntheticVhd vhd = SyntheticVhd.dynamic(10 * MIB, 9);

		byte[] footer = read(vhd, vhd.length() - 512, 512);
		assertThat(VhdFooter.parse(footer)).isEqualTo(vhd.footer());
		assertThat(read(vhd, 0, 512)).isEqualTo(footer);
		assertThat(DynamicHeader.parse(read(vhd, 512, 1024))).isEqualTo(vhd.dynamicHeader().orElseThrow());
		assertThat(vhd.footer().creatorApplication()).isEqualTo("qem2");
		assertThat(vhd.footer().checksumValid()).isTrue();
		assertThat(vhd.footer().geometry()).isEqualTo(VhdFooter.chsGeometry(10 * MIB));
	}

	@Test
	void slicesAtOddOffsetsEqualTheBytesOfAFullRead() throws IOException {
		for (SyntheticVhd vhd : new SyntheticVhd[] { SyntheticVhd.fixed(6 * MIB, 5),
				SyntheticVhd.dynamic(12 * MIB, 2, 0.5) }) {
			byte[] all;
			try (InputStream in = vhd.open()) {
				all = in.readAllBytes();
			}
			assertThat(all).hasSize((int) vhd.length());
			assertThat(vhd.length()).as("ranges cross block boundaries").isGreaterThan(4 * MIB);
			long[][] ranges = { { 0, 1 }, { 1, 2047 }, { 511, 3 }, { 1535, 700 },
					{ vhd.length() / 2 + 7, vhd.length() / 3 }, { vhd.length() - 513, 513 }, { vhd.length() - 1, 1 },
					{ 12345, 0 } };
			for (long[] range : ranges) {
				byte[] expected = Arrays.copyOfRange(all, (int) range[0], (int) (range[0] + range[1]));
				assertThat(read(vhd, range[0], (int) range[1])).as("%s at %d", vhd, range[0]).isEqualTo(expected);
				assertThat(read(vhd.slice(range[0], range[1]), 0, (int) range[1])).isEqualTo(expected);
			}
			try (InputStream in = vhd.open(100, 5000)) {
				assertThat(in.skip(1000)).isEqualTo(1000);
				assertThat(in.read()).isEqualTo(all[1100] & 0xFF);
				byte[] chunk = new byte[10];
				assertThat(in.read(chunk, 2, 5)).isEqualTo(5);
				assertThat(Arrays.copyOfRange(chunk, 2, 7)).isEqualTo(Arrays.copyOfRange(all, 1101, 1106));
				assertThat(in.skip(10_000)).isEqualTo(5000 - 1006);
				assertThat(in.read()).isEqualTo(-1);
				assertThat(in.read(chunk, 0, 10)).isEqualTo(-1);
			}
		}
	}

	@Test
	void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
		assertThat(md5(SyntheticVhd.dynamic(8 * MIB, 1, 1))).isEqualTo(md5(SyntheticVhd.dynamic(8 * MIB, 1, 1)));
		assertThat(SyntheticVhd.fixed(MIB, 1).footer()).isEqualTo(SyntheticVhd.fixed(MIB, 1).footer());
		assertThat(md5(SyntheticVhd.fixed(4 * MIB, 1).disk())).isNotEqualTo(md5(SyntheticVhd.fixed(4 * MIB, 2).disk()));
		assertThat(SyntheticVhd.fixed(MIB, 1).footer().uniqueId())
			.isNotEqualTo(SyntheticVhd.fixed(MIB, 2).footer().uniqueId());
	}

	@Test
	void everySectorDiffersSoReorderedCopiesAreDetected() throws IOException {
		Content disk = SyntheticVhd.fixed(4 * MIB, 1).disk();

		byte[] firstMib = read(disk, 0, (int) MIB);
		assertThat(firstMib).isNotEqualTo(new byte[(int) MIB]);
		assertThat(read(disk, MIB, (int) MIB)).isNotEqualTo(firstMib);
		assertThat(read(disk, 512, 512)).isNotEqualTo(read(disk, 0, 512));
		assertThat(Arrays.copyOfRange(firstMib, 0, 8)).isNotEqualTo(read(disk, MIB, 8));
	}

	@Test
	void defectsChangeOnlyWhatTheySay() {
		SyntheticVhd vhd = SyntheticVhd.dynamic(4 * MIB, 1);

		assertThat(vhd.withDefect(Defect.DIFFERENCING).footer().diskType()).isEqualTo(VhdFooter.DIFFERENCING);
		assertThat(vhd.withDefect(Defect.DIFFERENCING).dynamicHeader().orElseThrow().parentUnicodeName()).isNotEmpty();
		assertThat(vhd.withDefect(Defect.ZERO_UUID).footer().uniqueId().getMostSignificantBits()).isZero();
		assertThat(vhd.withDefect(Defect.UNSUPPORTED_TYPE).footer().diskType()).isEqualTo(5);
		assertThat(vhd.withDefect(Defect.BAD_CHECKSUM).length()).isEqualTo(vhd.length());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SyntheticVhd.fixed(4 * MIB, 1).withDefect(Defect.DIFFERENCING));
		assertThatIllegalArgumentException().isThrownBy(() -> SyntheticVhd.fixed(1000, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> vhd.open(vhd.length() - 10, 11));
	}

	@Test
	void largeImagesCostNothingUntilRead() throws IOException {
		SyntheticVhd vhd = SyntheticVhd.fixed(41L * 1024 * MIB, 7);

		assertThat(vhd.length()).isEqualTo(41L * 1024 * MIB + 512);
		assertThat(read(vhd, 1_048_576_000L, 4096)).isEqualTo(read(vhd.disk(), 1_048_576_000L, 4096));
		assertThat(VhdFooter.parse(read(vhd, vhd.length() - 512, 512)).currentSize()).isEqualTo(41L * 1024 * MIB);
	}

	private Path write(Content content, String name) throws IOException {
		Path file = this.dir.resolve(name);
		try (InputStream in = content.open(); OutputStream out = Files.newOutputStream(file)) {
			in.transferTo(out);
		}
		return file;
	}

	private static byte[] read(Content content, long offset, int length) throws IOException {
		try (InputStream in = content.open(offset, length)) {
			return in.readAllBytes();
		}
	}

	private static String md5(Content content) throws IOException {
		try (InputStream in = content.open()) {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			byte[] buffer = new byte[1 << 16];
			for (int n; (n = in.read(buffer)) > 0;) {
				md5.update(buffer, 0, n);
			}
			return HexFormat.of().formatHex(md5.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

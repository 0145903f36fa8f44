package org.imageferry.vhd;

import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VhdFooterTests {

	/**
	 * The first 85 bytes of the footer
	 * {@code qemu-img create -f vpc -o subformat=fixed F 64M} wrote.
	 */
	private static final String QEMU_FIXED_64M = "636f6e65637469780000000200010000"
			+ "ffffffffffffffff32983a7c71656d75000500035769326b" + "00000000040040000000000004004000"
			+ "03c4081100000002ffffe682e8e5a942" + "f3ce453181419a53b87c0a4200";

	@Test
	void parsesAFooterQemuWrote() {
		byte[] bytes = qemuFooter();

		VhdFooter footer = VhdFooter.parse(bytes);

		assertThat(footer.cookie()).isEqualTo("conectix");
		assertThat(footer.cookieValid()).isTrue();
		assertThat(footer.features()).isEqualTo(2);
		assertThat(footer.formatVersion()).isEqualTo(0x00010000);
		assertThat(footer.dataOffset()).isEqualTo(VhdFooter.NO_DATA_OFFSET);
		assertThat(footer.timestamp()).isEqualTo(0x32983a7cL);
		assertThat(footer.creatorApplication()).isEqualTo("qemu");
		assertThat(footer.creatorVersion()).isEqualTo(0x00050003);
		assertThat(footer.creatorHostOs()).isEqualTo("Wi2k");
		assertThat(footer.originalSize()).isEqualTo(67125248L);
		assertThat(footer.currentSize()).isEqualTo(67125248L);
		assertThat(footer.geometry()).isEqualTo(new VhdFooter.Geometry(964, 8, 17));
		assertThat(footer.geometry().sizeBytes()).isEqualTo(67125248L);
		assertThat(footer.diskType()).isEqualTo(VhdFooter.FIXED);
		assertThat(footer.checksum()).isEqualTo(0xffffe682);
		assertThat(footer.uniqueId()).isEqualTo(UUID.fromString("e8e5a942-f3ce-4531-8141-9a53b87c0a42"));
		assertThat(footer.savedState()).isFalse();
		assertThat(footer.checksumValid()).isTrue();
		assertThat(VhdFooter.checksumOf(bytes)).isEqualTo(0xffffe682);
		assertThat(footer.encodeAsIs()).isEqualTo(bytes);
		assertThat(footer.describe()).isEqualTo("fixed VHD, virtual size 64.0 MiB (67125248 bytes)");
	}

	@Test
	void encodeAndParseRoundTrip() {
		VhdFooter footer = VhdFooter.of(VhdFooter.DYNAMIC, 10L << 30, 512, 757_382_400L, "qem2",
				UUID.fromString("0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c"));

		VhdFooter parsed = VhdFooter.parse(footer.encode());

		assertThat(parsed).isEqualTo(footer);
		assertThat(parsed.checksumValid()).isTrue();
		assertThat(parsed.geometry()).isEqualTo(VhdFooter.chsGeometry(10L << 30));
	}

	@Test
	void encodeComputesAFreshChecksumAndEncodeAsIsKeepsAWrongOne() {
		VhdFooter footer = VhdFooter.parse(qemuFooter());
		VhdFooter wrong = footer.withChecksum(footer.checksum() + 1);

		assertThat(wrong.checksumValid()).isFalse();
		assertThat(VhdFooter.parse(wrong.encode()).checksumValid()).isTrue();
		assertThat(VhdFooter.parse(wrong.encodeAsIs()).checksumValid()).isFalse();
	}

	@Test
	void checksumCoversEveryByteButItself() {
		byte[] bytes = qemuFooter();
		bytes[200] = 1;
		assertThat(VhdFooter.checksumOf(bytes)).isEqualTo(0xffffe682 - 1);
		bytes[200] = 0;
		bytes[64] = 0x12;
		assertThat(VhdFooter.checksumOf(bytes)).isEqualTo(0xffffe682);
	}

	@Test
	void withersRecomputeTheChecksum() {
		VhdFooter footer = VhdFooter.parse(qemuFooter());

		assertThat(footer.withDiskType(VhdFooter.DIFFERENCING).checksumValid()).isTrue();
		assertThat(footer.withDiskType(VhdFooter.DIFFERENCING).diskType()).isEqualTo(4);
		assertThat(footer.withUniqueId(new UUID(0, 0)).checksumValid()).isTrue();
		assertThat(footer.withCookie("garbage!").checksumValid()).isTrue();
	}

	@Test
	void geometryFollowsTheSpecificationsAlgorithm() {
		assertThat(VhdFooter.chsGeometry(5L << 20)).isEqualTo(new VhdFooter.Geometry(150, 4, 17));
		assertThat(VhdFooter.chsGeometry(64L << 20)).isEqualTo(new VhdFooter.Geometry(963, 8, 17));
		assertThat(VhdFooter.chsGeometry(1_000_000_000L)).isEqualTo(new VhdFooter.Geometry(1937, 16, 63));
		assertThat(VhdFooter.chsGeometry(40L << 30)).isEqualTo(new VhdFooter.Geometry(20560, 16, 255));
		assertThat(VhdFooter.chsGeometry(200L << 30)).isEqualTo(new VhdFooter.Geometry(65535, 16, 255));
	}

	@Test
	void refusesAFooterOfTheWrongSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> VhdFooter.parse(new byte[511]));
	}

	private static byte[] qemuFooter() {
		byte[] bytes = new byte[VhdFooter.SIZE];
		byte[] start = HexFormat.of().parseHex(QEMU_FIXED_64M);
		System.arraycopy(start, 0, bytes, 0, start.length);
		return bytes;
	}

}

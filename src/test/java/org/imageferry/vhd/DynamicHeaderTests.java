package org.imageferry.vhd;

import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DynamicHeaderTests {

	/**
	 * The first 40 bytes of the header
	 * {@code qemu-img create -f vpc -o subformat=dynamic F 64M} wrote.
	 */
	private static final String QEMU_DYNAMIC_64M = "6378737061727365ffffffffffffffff"
			+ "00000000000006000001000000000021" + "00200000fffff456";

	@Test
	void parsesAHeaderQemuWrote() {
		byte[] bytes = qemuHeader();

		DynamicHeader header = DynamicHeader.parse(bytes);

		assertThat(header).isEqualTo(new DynamicHeader("cxsparse", -1L, 0x600, 0x00010000, 33, 2 * 1024 * 1024,
				0xfffff456, new UUID(0, 0), 0, ""));
		assertThat(header.checksumValid()).isTrue();
		assertThat(DynamicHeader.checksumOf(bytes)).isEqualTo(0xfffff456);
		assertThat(header.encodeAsIs()).isEqualTo(bytes);
	}

	@Test
	void encodeAndParseRoundTripWithAParent() {
		UUID parent = UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2");
		DynamicHeader header = DynamicHeader.of(1536, 20480, DynamicHeader.DEFAULT_BLOCK_SIZE)
			.withParent(parent, 757_382_400L, "parent disk.vhd");

		DynamicHeader parsed = DynamicHeader.parse(header.encode());

		assertThat(parsed).isEqualTo(header);
		assertThat(parsed.checksumValid()).isTrue();
		assertThat(parsed.parentUniqueId()).isEqualTo(parent);
		assertThat(parsed.parentUnicodeName()).isEqualTo("parent disk.vhd");
		assertThat(parsed.parentTimestamp()).isEqualTo(757_382_400L);
	}

	@Test
	void aChangedFieldInvalidatesTheChecksumUntilReEncoded() {
		DynamicHeader header = DynamicHeader.parse(qemuHeader());
		DynamicHeader moved = new DynamicHeader(header.cookie(), header.dataOffset(), 0x800, header.headerVersion(),
				header.maxTableEntries(), header.blockSize(), header.checksum(), header.parentUniqueId(),
				header.parentTimestamp(), header.parentUnicodeName());

		assertThat(moved.checksumValid()).isFalse();
		assertThat(DynamicHeader.parse(moved.encode()).checksumValid()).isTrue();
		assertThat(DynamicHeader.parse(moved.encodeAsIs()).checksumValid()).isFalse();
	}

	@Test
	void rawChecksumCountsBytesTheRecordDoesNotKeep() {
		byte[] bytes = qemuHeader();
		bytes[600] = 5;

		assertThat(DynamicHeader.checksumOf(bytes)).isEqualTo(0xfffff456 - 5);
		assertThat(DynamicHeader.parse(bytes).checksumValid()).isTrue();
	}

	private static byte[] qemuHeader() {
		byte[] bytes = new byte[DynamicHeader.SIZE];
		byte[] start = HexFormat.of().parseHex(QEMU_DYNAMIC_64M);
		System.arraycopy(start, 0, bytes, 0, start.length);
		return bytes;
	}

}

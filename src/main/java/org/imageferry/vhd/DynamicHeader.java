package org.imageferry.vhd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The 1024-byte header of a dynamic or differencing disk, at the footer's data offset. It
 * locates the Block Allocation Table; for a differencing disk it also names the parent,
 * which is what makes such a disk unimportable on its own.
 * <p>
 * The parent locator entries are not modelled: they are written as zeros, and a parsed
 * header's {@link #computeChecksum()} therefore only matches for headers without them
 * (use {@link #checksumOf(byte[])} on raw bytes to judge a header as stored).
 *
 * @param cookie {@value #COOKIE} for a valid header
 * @param dataOffset unused, {@code 0xFFFFFFFFFFFFFFFF}
 * @param tableOffset absolute offset of the Block Allocation Table
 * @param headerVersion {@code 0x00010000}
 * @param maxTableEntries number of BAT entries, at least the number of blocks
 * @param blockSize bytes of data per block, 2 MiB by default
 * @param checksum the checksum as stored
 * @param parentUniqueId the parent's unique id (differencing disks), zeros otherwise
 * @param parentTimestamp the parent's modification time, seconds since 2000, unsigned
 * @param parentUnicodeName the parent's file name, empty when there is none
 */
public record DynamicHeader(String cookie, long dataOffset, long tableOffset, int headerVersion, int maxTableEntries,
		int blockSize, int checksum, UUID parentUniqueId, long parentTimestamp, String parentUnicodeName) {

	/** Size of the header in bytes. */
	public static final int SIZE = 1024;

	/** The cookie that identifies a dynamic header. */
	public static final String COOKIE = "cxsparse";

	/** The block size qemu, Hyper-V and XenServer use by default: 2 MiB. */
	public static final int DEFAULT_BLOCK_SIZE = 2 * 1024 * 1024;

	/** The header version every dynamic disk carries. */
	public static final int HEADER_VERSION = 0x00010000;

	/** A BAT entry for a block that is not allocated (reads as zeros). */
	public static final int UNALLOCATED = 0xFFFFFFFF;

	static final int CHECKSUM_OFFSET = 36;

	private static final int NAME_OFFSET = 64;

	private static final int NAME_BYTES = 512;

	public DynamicHeader {
		if (cookie.length() != 8) {
			throw new IllegalArgumentException("cookie must be 8 characters");
		}
		if (parentUnicodeName.getBytes(StandardCharsets.UTF_16BE).length > NAME_BYTES) {
			throw new IllegalArgumentException("parent name longer than " + NAME_BYTES + " bytes in UTF-16BE");
		}
	}

	/**
	 * A header for a disk without a parent, checksum included.
	 * @param tableOffset absolute offset of the BAT
	 * @param maxTableEntries number of BAT entries
	 * @param blockSize block size in bytes
	 * @return the header
	 */
	public static DynamicHeader of(long tableOffset, int maxTableEntries, int blockSize) {
		return new DynamicHeader(COOKIE, -1L, tableOffset, HEADER_VERSION, maxTableEntries, blockSize, 0,
				new UUID(0, 0), 0, "")
			.withFreshChecksum();
	}

	/**
	 * Parses a header without judging it.
	 * @param bytes1024 exactly {@value #SIZE} bytes
	 * @return the header as stored
	 */
	public static DynamicHeader parse(byte[] bytes1024) {
		ByteBuffer b = Structures.wrap(bytes1024, SIZE, "a dynamic header");
		byte[] name = new byte[NAME_BYTES];
		b.get(NAME_OFFSET, name);
		int nameLength = 0;
		while (nameLength + 1 < NAME_BYTES && (name[nameLength] != 0 || name[nameLength + 1] != 0)) {
			nameLength += 2;
		}
		return new DynamicHeader(Structures.ascii(b, 0, 8), b.getLong(8), b.getLong(16), b.getInt(24), b.getInt(28),
				b.getInt(32), b.getInt(36), Structures.uuid(b, 40), Integer.toUnsignedLong(b.getInt(56)),
				new String(name, 0, nameLength, StandardCharsets.UTF_16BE));
	}

	/**
	 * The checksum of raw header bytes, parent locators and reserved bytes included.
	 * @param bytes1024 a header as stored
	 * @return the checksum those bytes should carry
	 */
	public static int checksumOf(byte[] bytes1024) {
		Structures.wrap(bytes1024, SIZE, "a dynamic header");
		return Structures.checksum(bytes1024, CHECKSUM_OFFSET);
	}

	/**
	 * @return the header's bytes with a freshly computed checksum
	 */
	public byte[] encode() {
		return withFreshChecksum().encodeAsIs();
	}

	/**
	 * @return the header's bytes with the stored checksum, right or wrong
	 */
	public byte[] encodeAsIs() {
		ByteBuffer b = ByteBuffer.allocate(SIZE);
		Structures.putAscii(b, 0, this.cookie, 8);
		b.putLong(8, this.dataOffset);
		b.putLong(16, this.tableOffset);
		b.putInt(24, this.headerVersion);
		b.putInt(28, this.maxTableEntries);
		b.putInt(32, this.blockSize);
		b.putInt(36, this.checksum);
		Structures.putUuid(b, 40, this.parentUniqueId);
		b.putInt(56, (int) this.parentTimestamp);
		b.put(NAME_OFFSET, this.parentUnicodeName.getBytes(StandardCharsets.UTF_16BE));
		return b.array();
	}

	/**
	 * @return the checksum this header's fields call for
	 */
	public int computeChecksum() {
		return checksumOf(encodeAsIs());
	}

	/**
	 * @return whether the stored checksum matches the fields
	 */
	public boolean checksumValid() {
		return computeChecksum() == this.checksum;
	}

	public DynamicHeader withChecksum(int checksum) {
		return new DynamicHeader(this.cookie, this.dataOffset, this.tableOffset, this.headerVersion,
				this.maxTableEntries, this.blockSize, checksum, this.parentUniqueId, this.parentTimestamp,
				this.parentUnicodeName);
	}

	/**
	 * @param parentUniqueId the parent's unique id
	 * @param parentTimestamp the parent's time stamp
	 * @param parentUnicodeName the parent's file name
	 * @return a copy naming that parent, with a fresh checksum: how a test makes the
	 * header of a differencing disk
	 */
	public DynamicHeader withParent(UUID parentUniqueId, long parentTimestamp, String parentUnicodeName) {
		return new DynamicHeader(this.cookie, this.dataOffset, this.tableOffset, this.headerVersion,
				this.maxTableEntries, this.blockSize, 0, parentUniqueId, parentTimestamp, parentUnicodeName)
			.withFreshChecksum();
	}

	private DynamicHeader withFreshChecksum() {
		return withChecksum(computeChecksum());
	}

}

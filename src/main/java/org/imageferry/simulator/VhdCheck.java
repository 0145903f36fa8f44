package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.imageferry.simulator.content.Content;

/**
 * The simulated cloud's own judgement of an imported VHD, written from the format's
 * specification ({@code ../shared/VHD.md}) and the import seed page's codes, and sharing
 * no code with the product's {@code org.imageferry.vhd}: when the simulator judged with
 * the product's validator, a bug there agreed with itself and no test could see it.
 * <p>
 * The footer decides the specific codes, in this order: no {@code conectix} footer 396; a
 * wrong footer checksum 111; a differencing disk 721, any other type but fixed or dynamic
 * 523; a unique id of zeros 614; a virtual size above the limit 413, a file above it 609.
 * Everything else about the layout is 111, and here this checker is stricter than the
 * product's, as Rackspace's own check ({@code vhd-util check}) is:
 * <ul>
 * <li>the footer's file format version must be {@code 0x00010000}, the dynamic header's
 * version too;</li>
 * <li>a dynamic disk's block size must be a power of two (the specification: "the sectors
 * per block must always be a power of two"), not just a multiple of 512;</li>
 * <li>the BAT must not overlap the dynamic header, and an allocated block must overlap
 * neither the footer copy, the header, the BAT, the footer nor another block — a
 * corrupted BAT entry pointing into the metadata or at another block's data reads as
 * garbage, however well its bounds look.</li>
 * </ul>
 */
final class VhdCheck {

	private static final int FOOTER = 512;

	private static final int HEADER = 1024;

	private static final int FORMAT_VERSION = 0x00010000;

	private static final int FIXED = 2;

	private static final int DYNAMIC = 3;

	private static final int DIFFERENCING = 4;

	private static final long UNALLOCATED = 0xFFFFFFFFL;

	/** BAT entries read at a time: 1 MiB of table. */
	private static final int BAT_SLICE = 256 * 1024;

	private VhdCheck() {
	}

	/**
	 * @param vhd the object to import, large objects resolved
	 * @param sizeLimit the largest virtual and physical size accepted, in bytes
	 * @return why Rackspace would refuse it, or empty when it would import it
	 */
	static Optional<ImportRefusal> check(Content vhd, long sizeLimit) throws IOException {
		return Optional.ofNullable(refusal(vhd, sizeLimit));
	}

	private static ImportRefusal refusal(Content vhd, long sizeLimit) throws IOException {
		long length = vhd.length();
		if (length < FOOTER) {
			return ImportRefusal.NOT_A_VHD;
		}
		ByteBuffer footer = read(vhd, length - FOOTER, FOOTER);
		if (!ascii(footer, 0, 8).equals("conectix")) {
			return ImportRefusal.NOT_A_VHD;
		}
		if (footer.getInt(64) != checksum(footer, 64)) {
			return ImportRefusal.UNSPECIFIED;
		}
		int type = footer.getInt(60);
		if (type == DIFFERENCING) {
			return ImportRefusal.HAS_PARENT;
		}
		if (type != FIXED && type != DYNAMIC) {
			return ImportRefusal.UNSUPPORTED_DISK_TYPE;
		}
		if (footer.getLong(68) == 0 && footer.getLong(76) == 0) {
			return ImportRefusal.ZERO_UNIQUE_ID;
		}
		long currentSize = footer.getLong(48);
		if (Long.compareUnsigned(currentSize, sizeLimit) > 0) {
			return ImportRefusal.VIRTUAL_SIZE_OVER_LIMIT;
		}
		if (length > sizeLimit) {
			return ImportRefusal.PHYSICAL_SIZE_OVER_LIMIT;
		}
		boolean sound = footer.getInt(12) == FORMAT_VERSION
				&& ((type == FIXED) ? length - FOOTER == currentSize : dynamicSound(vhd, footer, currentSize));
		return sound ? null : ImportRefusal.UNSPECIFIED;
	}

	/**
	 * A dynamic disk's layout: {@code footer copy | dynamic header | BAT | blocks |
	 * footer}, the order of the middle parts free, nothing overlapping.
	 */
	private static boolean dynamicSound(Content vhd, ByteBuffer footer, long currentSize) throws IOException {
		long end = vhd.length() - FOOTER;
		if (end < FOOTER + HEADER || !read(vhd, 0, FOOTER).equals(footer)) {
			return false;
		}
		long headerAt = footer.getLong(16);
		if (headerAt < FOOTER || headerAt > end - HEADER) {
			return false;
		}
		ByteBuffer header = read(vhd, headerAt, HEADER);
		if (!ascii(header, 0, 8).equals("cxsparse") || header.getInt(36) != checksum(header, 36)
				|| header.getInt(24) != FORMAT_VERSION) {
			return false;
		}
		long entries = Integer.toUnsignedLong(header.getInt(28));
		long blockSize = Integer.toUnsignedLong(header.getInt(32));
		if (blockSize < 512 || Long.bitCount(blockSize) != 1 || entries * blockSize < currentSize) {
			return false;
		}
		long tableAt = header.getLong(16);
		long tableEnd = tableAt + roundUp(entries * 4);
		if (tableAt < FOOTER || tableAt > end || tableEnd > end
				|| overlap(tableAt, tableEnd, headerAt, headerAt + HEADER)) {
			return false;
		}
		long[][] metadata = { { 0, FOOTER }, { headerAt, headerAt + HEADER }, { tableAt, tableEnd } };
		return blocksSound(vhd, tableAt, entries, roundUp((blockSize / 512 + 7) / 8) + blockSize, end, metadata);
	}

	/**
	 * Every allocated block (its sector bitmap and data) inside the file before the
	 * footer, clear of the metadata and of every other block. Blocks that fit without
	 * overlapping are at most the file's length over a block's, which bounds what is
	 * kept.
	 */
	private static boolean blocksSound(Content vhd, long tableAt, long entries, long stride, long end,
			long[][] metadata) throws IOException {
		long[] starts = new long[(int) Math.min(entries, 1024)];
		int allocated = 0;
		long most = end / stride;
		for (long read = 0; read < entries; read += BAT_SLICE) {
			int count = (int) Math.min(entries - read, BAT_SLICE);
			ByteBuffer slice = read(vhd, tableAt + read * 4, count * 4);
			for (int i = 0; i < count; i++) {
				long sector = Integer.toUnsignedLong(slice.getInt(i * 4));
				if (sector == UNALLOCATED) {
					continue;
				}
				long start = sector * 512;
				if (start + stride > end || allocated >= most) {
					return false;
				}
				for (long[] region : metadata) {
					if (overlap(start, start + stride, region[0], region[1])) {
						return false;
					}
				}
				if (allocated == starts.length) {
					starts = Arrays.copyOf(starts, (int) Math.min(most, 2L * starts.length));
				}
				starts[allocated++] = start;
			}
		}
		Arrays.sort(starts, 0, allocated);
		for (int i = 1; i < allocated; i++) {
			if (starts[i] - starts[i - 1] < stride) {
				return false;
			}
		}
		return true;
	}

	private static boolean overlap(long aStart, long aEnd, long bStart, long bEnd) {
		return aStart < bEnd && bStart < aEnd;
	}

	private static long roundUp(long bytes) {
		return (bytes + 511) / 512 * 512;
	}

	/**
	 * One's complement of the byte sum, the checksum field counted as zero (the
	 * specification's algorithm, footer and dynamic header alike).
	 */
	private static int checksum(ByteBuffer structure, int checksumAt) {
		int sum = 0;
		for (int i = 0; i < structure.capacity(); i++) {
			if (i < checksumAt || i >= checksumAt + 4) {
				sum += structure.get(i) & 0xFF;
			}
		}
		return ~sum;
	}

	private static String ascii(ByteBuffer structure, int at, int length) {
		byte[] bytes = new byte[length];
		structure.get(at, bytes);
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	private static ByteBuffer read(Content vhd, long offset, int length) throws IOException {
		try (InputStream in = vhd.open(offset, length)) {
			byte[] bytes = in.readNBytes(length);
			if (bytes.length != length) {
				throw new IOException("short read at " + offset + ": " + bytes.length + " of " + length + " bytes");
			}
			return ByteBuffer.wrap(bytes);
		}
	}

}

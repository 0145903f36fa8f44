package org.imageferry.vhd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether Rackspace would import a VHD, and if not with which
 * {@link ImportFailure}. The product calls it before starting an import, to fail early
 * and say why; the simulator calls it to refuse an import exactly as Rackspace does.
 * <p>
 * Only the structures are read, never the data: the footer at the end, and for a dynamic
 * disk the footer copy at offset 0 and the dynamic header (2 KiB in all). The checks run
 * in this order, the first failing one deciding:
 * <ol>
 * <li>file shorter than a footer, or footer cookie not {@code conectix}: 396 (nothing
 * else can be read without a footer);</li>
 * <li>footer checksum wrong: 111 (no field of a corrupt footer can be trusted);</li>
 * <li>disk type 4 (differencing): 721, before 523 because it is the more specific
 * reason;</li>
 * <li>disk type neither 2 (fixed) nor 3 (dynamic): 523;</li>
 * <li>unique id all zeros: 614;</li>
 * <li>current (virtual) size above the limit: 413;</li>
 * <li>file (physical) size above the limit: 609. A fixed disk whose virtual size is above
 * the limit is therefore reported as 413, although its file is too large as well; and a
 * fixed disk of exactly the limit is 609, its file being 512 bytes larger;</li>
 * <li>the layout, which needs further reads and so comes last, all 111: a fixed disk's
 * file must be its current size plus 512; a dynamic disk must have an identical footer
 * copy at offset 0, a dynamic header inside the file with cookie {@code cxsparse} and a
 * right checksum, a usable block size, a BAT inside the file that covers the current
 * size, and every allocated block inside the file.</li>
 * </ol>
 */
public final class VhdValidator {

	/**
	 * Rackspace's limit for both the virtual and the physical size: 160 GB since March
	 * 2019 (40 GB before; its API reference's error texts still say 40GB). Counted as a
	 * job profile's {@code 160GB} counts, in GiB: Rackspace's flavors have disks of 20,
	 * 40, 80 and 160 GB, and the largest of them exported must be importable.
	 */
	public static final long DEFAULT_SIZE_LIMIT = 160L * 1024 * 1024 * 1024;

	/** BAT entries read at a time (1 MiB of table). */
	private static final int BAT_SLICE = 256 * 1024;

	private static final long UNALLOCATED = 0xFFFFFFFFL;

	private VhdValidator() {
	}

	/**
	 * @param file the VHD
	 * @param sizeLimitBytes the limit for the virtual and the physical size, in bytes
	 * @return the reason Rackspace would refuse it, or empty when it would import it
	 * @throws IOException when the file cannot be read
	 */
	public static Optional<ImportFailure> check(RangeReader file, long sizeLimitBytes) throws IOException {
		long length = file.length();
		if (length < VhdFooter.SIZE) {
			return Optional.of(ImportFailure.NOT_A_VHD);
		}
		byte[] raw = file.read(length - VhdFooter.SIZE, VhdFooter.SIZE);
		VhdFooter footer = VhdFooter.parse(raw);
		ImportFailure failure = checkFooter(footer, VhdFooter.checksumOf(raw), length, sizeLimitBytes);
		if (failure == null) {
			failure = (footer.diskType() == VhdFooter.FIXED) ? checkFixed(footer, length)
					: checkDynamic(file, raw, footer, length);
		}
		return Optional.ofNullable(failure);
	}

	/**
	 * A size limit as a job profile writes it, for messages that name it.
	 * @return e.g. {@code 160GB (171,798,691,840 bytes)}, {@code 64MB (67,108,864 bytes)}
	 */
	public static String describeLimit(long bytes) {
		String[] units = { "GB", "MB", "KB" };
		for (int i = 0; i < units.length; i++) {
			long unit = 1L << (10 * (units.length - i));
			if (bytes >= unit && bytes % unit == 0) {
				return String.format(Locale.ROOT, "%d%s (%,d bytes)", bytes / unit, units[i], bytes);
			}
		}
		return String.format(Locale.ROOT, "%,d bytes", bytes);
	}

	/**
	 * Reads a VHD's footer for a message to an operator.
	 * @param file the VHD
	 * @return e.g. {@code dynamic VHD, virtual size 64.0 MiB (67108864 bytes)}, or a note
	 * that the file is not a VHD
	 * @throws IOException when the file cannot be read
	 */
	public static String describe(RangeReader file) throws IOException {
		long length = file.length();
		if (length < VhdFooter.SIZE) {
			return "not a VHD (" + length + " bytes)";
		}
		VhdFooter footer = VhdFooter.parse(file.read(length - VhdFooter.SIZE, VhdFooter.SIZE));
		return footer.cookieValid() ? footer.describe() : "not a VHD (no footer)";
	}

	private static ImportFailure checkFooter(VhdFooter footer, int expectedChecksum, long length, long limit) {
		if (!footer.cookieValid()) {
			return ImportFailure.NOT_A_VHD;
		}
		if (footer.checksum() != expectedChecksum) {
			return ImportFailure.UNSPECIFIED;
		}
		if (footer.diskType() == VhdFooter.DIFFERENCING) {
			return ImportFailure.HAS_PARENT;
		}
		if (footer.diskType() != VhdFooter.FIXED && footer.diskType() != VhdFooter.DYNAMIC) {
			return ImportFailure.UNSUPPORTED_DISK_TYPE;
		}
		if (footer.uniqueId().getMostSignificantBits() == 0 && footer.uniqueId().getLeastSignificantBits() == 0) {
			return ImportFailure.ZERO_UNIQUE_ID;
		}
		if (Long.compareUnsigned(footer.currentSize(), limit) > 0) {
			return ImportFailure.VIRTUAL_SIZE_OVER_LIMIT;
		}
		if (length > limit) {
			return ImportFailure.PHYSICAL_SIZE_OVER_LIMIT;
		}
		return null;
	}

	private static ImportFailure checkFixed(VhdFooter footer, long length) {
		return (footer.currentSize() + VhdFooter.SIZE != length) ? ImportFailure.UNSPECIFIED : null;
	}

	private static ImportFailure checkDynamic(RangeReader file, byte[] rawFooter, VhdFooter footer, long length)
			throws IOException {
		long end = length - VhdFooter.SIZE;
		if (end < VhdFooter.SIZE || !Arrays.equals(file.read(0, VhdFooter.SIZE), rawFooter)) {
			return ImportFailure.UNSPECIFIED;
		}
		long headerOffset = footer.dataOffset();
		if (headerOffset < VhdFooter.SIZE || headerOffset > end - DynamicHeader.SIZE) {
			return ImportFailure.UNSPECIFIED;
		}
		byte[] rawHeader = file.read(headerOffset, DynamicHeader.SIZE);
		DynamicHeader header = DynamicHeader.parse(rawHeader);
		if (!DynamicHeader.COOKIE.equals(header.cookie()) || header.checksum() != DynamicHeader.checksumOf(rawHeader)) {
			return ImportFailure.UNSPECIFIED;
		}
		long blockSize = Integer.toUnsignedLong(header.blockSize());
		long entries = Integer.toUnsignedLong(header.maxTableEntries());
		if (blockSize == 0 || blockSize % 512 != 0 || entries * blockSize < footer.currentSize()) {
			return ImportFailure.UNSPECIFIED;
		}
		long tableOffset = header.tableOffset();
		if (tableOffset < VhdFooter.SIZE || tableOffset > end - entries * 4) {
			return ImportFailure.UNSPECIFIED;
		}
		return checkBlocks(file, tableOffset, entries, blockSize, end);
	}

	/**
	 * Every allocated block (its sector bitmap and its data) must lie between the headers
	 * and the footer: a truncated copy keeps an intact footer but loses blocks. The BAT
	 * is read in slices, so even a table of millions of entries costs bounded memory.
	 */
	private static ImportFailure checkBlocks(RangeReader file, long tableOffset, long entries, long blockSize, long end)
			throws IOException {
		long bitmap = ((blockSize / 512 + 7) / 8 + 511) / 512 * 512;
		long read = 0;
		while (read < entries) {
			int count = (int) Math.min(entries - read, BAT_SLICE);
			ByteBuffer slice = ByteBuffer.wrap(file.read(tableOffset + read * 4, count * 4));
			for (int i = 0; i < count; i++) {
				long sector = Integer.toUnsignedLong(slice.getInt());
				if (sector == UNALLOCATED) {
					continue;
				}
				long start = sector * 512;
				if (start < VhdFooter.SIZE || start + bitmap + blockSize > end) {
					return ImportFailure.UNSPECIFIED;
				}
			}
			read += count;
		}
		return null;
	}

}

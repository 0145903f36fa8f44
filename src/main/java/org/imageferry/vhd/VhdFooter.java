package org.imageferry.vhd;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The 512-byte footer at the end of every VHD (and copied at offset 0 of dynamic and
 * differencing disks). Rackspace decides most import failures from it alone, which is why
 * the product reads it before starting an import.
 * <p>
 * All fields are kept as read, including a wrong cookie or checksum, so a defective
 * footer can be parsed, reported and re-encoded byte for byte (except the reserved bytes,
 * which are written as zeros).
 *
 * @param cookie {@value #COOKIE} for a VHD
 * @param features feature bits, {@code 2} (reserved bit) normally
 * @param formatVersion {@code 0x00010000}
 * @param dataOffset offset of the dynamic header, {@value #NO_DATA_OFFSET} for fixed
 * disks
 * @param timestamp seconds since 2000-01-01T00:00:00Z, unsigned 32 bits
 * @param creatorApplication four ASCII characters, e.g. {@code qem2}
 * @param creatorVersion creator's version
 * @param creatorHostOs four ASCII characters, e.g. {@code Wi2k}
 * @param originalSize virtual size at creation, in bytes
 * @param currentSize virtual size, in bytes
 * @param geometry the CHS geometry
 * @param diskType {@link #FIXED}, {@link #DYNAMIC}, {@link #DIFFERENCING} or another
 * value
 * @param checksum the checksum as stored
 * @param uniqueId the disk's identity
 * @param savedState whether the disk is in a saved state
 */
public record VhdFooter(String cookie, int features, int formatVersion, long dataOffset, long timestamp,
		String creatorApplication, int creatorVersion, String creatorHostOs, long originalSize, long currentSize,
		Geometry geometry, int diskType, int checksum, UUID uniqueId, boolean savedState) {

	/** Size of the footer in bytes. */
	public static final int SIZE = 512;

	/** The cookie that identifies a VHD footer. */
	public static final String COOKIE = "conectix";

	/** Data offset of a fixed disk: there is no dynamic header. */
	public static final long NO_DATA_OFFSET = -1L;

	/** Disk type of a fixed disk. */
	public static final int FIXED = 2;

	/** Disk type of a dynamic disk. */
	public static final int DYNAMIC = 3;

	/** Disk type of a differencing disk (one with a parent). */
	public static final int DIFFERENCING = 4;

	/** The file format version every VHD carries. */
	public static final int FORMAT_VERSION = 0x00010000;

	static final int CHECKSUM_OFFSET = 64;

	private static final long MAX_CHS_SECTORS = 65535L * 16 * 255;

	public VhdFooter {
		if (cookie.length() != 8 || creatorApplication.length() != 4 || creatorHostOs.length() != 4) {
			throw new IllegalArgumentException("cookie must be 8, creator application and host OS 4 characters");
		}
	}

	/**
	 * A footer as a well-behaved creator writes it, checksum included.
	 * @param diskType the disk type
	 * @param currentSize the virtual size in bytes
	 * @param dataOffset offset of the dynamic header, or {@link #NO_DATA_OFFSET}
	 * @param timestamp seconds since 2000-01-01T00:00:00Z
	 * @param creatorApplication four characters, see {@code SyntheticVhd} for why it
	 * matters
	 * @param uniqueId the disk's identity
	 * @return the footer
	 */
	public static VhdFooter of(int diskType, long currentSize, long dataOffset, long timestamp,
			String creatorApplication, UUID uniqueId) {
		VhdFooter footer = new VhdFooter(COOKIE, 2, FORMAT_VERSION, dataOffset, timestamp, creatorApplication,
				0x00050003, "Wi2k", currentSize, currentSize, chsGeometry(currentSize), diskType, 0, uniqueId, false);
		return footer.withChecksum(footer.computeChecksum());
	}

	/**
	 * Parses a footer without judging it.
	 * @param bytes512 exactly {@value #SIZE} bytes
	 * @return the footer as stored
	 */
	public static VhdFooter parse(byte[] bytes512) {
		ByteBuffer b = Structures.wrap(bytes512, SIZE, "a VHD footer");
		Geometry geometry = new Geometry(Short.toUnsignedInt(b.getShort(56)), Byte.toUnsignedInt(b.get(58)),
				Byte.toUnsignedInt(b.get(59)));
		return new VhdFooter(Structures.ascii(b, 0, 8), b.getInt(8), b.getInt(12), b.getLong(16),
				Integer.toUnsignedLong(b.getInt(24)), Structures.ascii(b, 28, 4), b.getInt(32),
				Structures.ascii(b, 36, 4), b.getLong(40), b.getLong(48), geometry, b.getInt(60), b.getInt(64),
				Structures.uuid(b, 68), b.get(84) != 0);
	}

	/**
	 * The checksum of raw footer bytes, as Rackspace computes it (reserved bytes
	 * included).
	 * @param bytes512 a footer as stored
	 * @return the checksum those bytes should carry
	 */
	public static int checksumOf(byte[] bytes512) {
		Structures.wrap(bytes512, SIZE, "a VHD footer");
		return Structures.checksum(bytes512, CHECKSUM_OFFSET);
	}

	/**
	 * @return the footer's bytes with a freshly computed checksum
	 */
	public byte[] encode() {
		return withChecksum(computeChecksum()).encodeAsIs();
	}

	/**
	 * @return the footer's bytes with the stored checksum, right or wrong: how tests make
	 * a footer with a bad checksum
	 */
	public byte[] encodeAsIs() {
		ByteBuffer b = ByteBuffer.allocate(SIZE);
		Structures.putAscii(b, 0, this.cookie, 8);
		b.putInt(8, this.features);
		b.putInt(12, this.formatVersion);
		b.putLong(16, this.dataOffset);
		b.putInt(24, (int) this.timestamp);
		Structures.putAscii(b, 28, this.creatorApplication, 4);
		b.putInt(32, this.creatorVersion);
		Structures.putAscii(b, 36, this.creatorHostOs, 4);
		b.putLong(40, this.originalSize);
		b.putLong(48, this.currentSize);
		b.putShort(56, (short) this.geometry.cylinders());
		b.put(58, (byte) this.geometry.heads());
		b.put(59, (byte) this.geometry.sectorsPerTrack());
		b.putInt(60, this.diskType);
		b.putInt(64, this.checksum);
		Structures.putUuid(b, 68, this.uniqueId);
		b.put(84, (byte) (this.savedState ? 1 : 0));
		return b.array();
	}

	/**
	 * @return the checksum this footer's fields call for
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

	/**
	 * @return whether the cookie is {@value #COOKIE}
	 */
	public boolean cookieValid() {
		return COOKIE.equals(this.cookie);
	}

	/**
	 * @return a short description for operators, e.g. {@code dynamic VHD, virtual size
	 * 64.0 MiB (67108864 bytes)}
	 */
	public String describe() {
		String type = switch (this.diskType) {
			case FIXED -> "fixed";
			case DYNAMIC -> "dynamic";
			case DIFFERENCING -> "differencing";
			default -> "type " + this.diskType;
		};
		return String.format("%s VHD, virtual size %.1f MiB (%d bytes)", type, this.currentSize / 1048576.0,
				this.currentSize);
	}

	public VhdFooter withChecksum(int checksum) {
		return new VhdFooter(this.cookie, this.features, this.formatVersion, this.dataOffset, this.timestamp,
				this.creatorApplication, this.creatorVersion, this.creatorHostOs, this.originalSize, this.currentSize,
				this.geometry, this.diskType, checksum, this.uniqueId, this.savedState);
	}

	/**
	 * @param cookie the new cookie
	 * @return a copy with that cookie and a fresh checksum
	 */
	public VhdFooter withCookie(String cookie) {
		VhdFooter footer = new VhdFooter(cookie, this.features, this.formatVersion, this.dataOffset, this.timestamp,
				this.creatorApplication, this.creatorVersion, this.creatorHostOs, this.originalSize, this.currentSize,
				this.geometry, this.diskType, 0, this.uniqueId, this.savedState);
		return footer.withChecksum(footer.computeChecksum());
	}

	/**
	 * @param diskType the new disk type
	 * @return a copy with that disk type and a fresh checksum
	 */
	public VhdFooter withDiskType(int diskType) {
		VhdFooter footer = new VhdFooter(this.cookie, this.features, this.formatVersion, this.dataOffset,
				this.timestamp, this.creatorApplication, this.creatorVersion, this.creatorHostOs, this.originalSize,
				this.currentSize, this.geometry, diskType, 0, this.uniqueId, this.savedState);
		return footer.withChecksum(footer.computeChecksum());
	}

	/**
	 * @param uniqueId the new unique id
	 * @return a copy with that unique id and a fresh checksum
	 */
	public VhdFooter withUniqueId(UUID uniqueId) {
		VhdFooter footer = new VhdFooter(this.cookie, this.features, this.formatVersion, this.dataOffset,
				this.timestamp, this.creatorApplication, this.creatorVersion, this.creatorHostOs, this.originalSize,
				this.currentSize, this.geometry, this.diskType, 0, uniqueId, this.savedState);
		return footer.withChecksum(footer.computeChecksum());
	}

	/**
	 * The CHS geometry for a disk size, by the algorithm in the VHD specification's
	 * appendix "CHS calculation": sectors are capped at 65535 × 16 × 255, and the product
	 * of the result may be slightly below the size (the spec rounds down; qemu, creating
	 * a disk, rounds the size up to the geometry instead).
	 * @param sizeBytes the disk size in bytes
	 * @return the geometry
	 */
	public static Geometry chsGeometry(long sizeBytes) {
		long totalSectors = Math.min(sizeBytes / 512, MAX_CHS_SECTORS);
		long sectorsPerTrack;
		long heads;
		long cylindersTimesHeads;
		if (totalSectors >= 65535L * 16 * 63) {
			sectorsPerTrack = 255;
			heads = 16;
			cylindersTimesHeads = totalSectors / sectorsPerTrack;
		}
		else {
			sectorsPerTrack = 17;
			cylindersTimesHeads = totalSectors / sectorsPerTrack;
			heads = Math.max((cylindersTimesHeads + 1023) / 1024, 4);
			if (cylindersTimesHeads >= heads * 1024 || heads > 16) {
				sectorsPerTrack = 31;
				heads = 16;
				cylindersTimesHeads = totalSectors / sectorsPerTrack;
			}
			if (cylindersTimesHeads >= heads * 1024) {
				sectorsPerTrack = 63;
				heads = 16;
				cylindersTimesHeads = totalSectors / sectorsPerTrack;
			}
		}
		return new Geometry((int) (cylindersTimesHeads / heads), (int) heads, (int) sectorsPerTrack);
	}

	/**
	 * Cylinders, heads and sectors per track, as old BIOSes and Virtual PC size a disk.
	 *
	 * @param cylinders 16 bits unsigned
	 * @param heads 8 bits unsigned
	 * @param sectorsPerTrack 8 bits unsigned
	 */
	public record Geometry(int cylinders, int heads, int sectorsPerTrack) {

		/**
		 * @return the size this geometry addresses, in bytes
		 */
		public long sizeBytes() {
			return (long) this.cylinders * this.heads * this.sectorsPerTrack * 512;
		}

	}

}

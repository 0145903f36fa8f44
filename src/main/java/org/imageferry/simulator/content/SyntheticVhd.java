package org.imageferry.simulator.content;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.UUID;

import org.imageferry.vhd.DynamicHeader;
import org.imageferry.vhd.VhdFooter;

/**
 * A real, valid VHD (or one with a chosen defect) whose bytes are generated on read, so
 * that the simulator can hold images of tens of gigabytes in neither disk nor memory.
 * <p>
 * The same virtual size, seed, kind and defect always give the same bytes, time stamp and
 * unique id included, hence the same MD5. The data is {@link SyntheticData}; a dynamic
 * disk allocates a deterministic subset of its 2 MiB blocks (a quarter by default, at
 * least one), the others reading as zeros.
 * <p>
 * The creator application is {@value #CREATOR_APPLICATION}, what {@code qemu-img} writes
 * with {@code force_size=on}: for it (as for {@code win }, {@code d2v }, {@code tap\0}
 * and {@code CTXS}) qemu's vpc driver takes the virtual size from the footer's current
 * size, whereas for {@code qemu} and {@code vpc } it takes the CHS geometry's product,
 * which is a little smaller than most sizes. Any size that is a multiple of 512 is thus
 * reported exactly by {@code qemu-img info}; the geometry is still filled in by the
 * specification's algorithm.
 */
public final class SyntheticVhd implements Content {

	/** The creator application written in the footer; see the class comment. */
	public static final String CREATOR_APPLICATION = "qem2";

	/** Share of a dynamic disk's blocks that are allocated unless told otherwise. */
	public static final double DEFAULT_ALLOCATED_FRACTION = 0.25;

	private static final int BLOCK_SIZE = DynamicHeader.DEFAULT_BLOCK_SIZE;

	/** A sector bitmap for 2 MiB blocks is 4096 bits, exactly one sector. */
	private static final int BITMAP_SIZE = 512;

	private static final long STRIDE = BITMAP_SIZE + BLOCK_SIZE;

	private static final long HEADER_OFFSET = VhdFooter.SIZE;

	private static final long TABLE_OFFSET = HEADER_OFFSET + DynamicHeader.SIZE;

	/** 2024-01-01T00:00:00Z in VHD time (seconds since 2000-01-01T00:00:00Z). */
	private static final long BASE_TIMESTAMP = 757_382_400L;

	private final boolean dynamic;

	private final long virtualSize;

	private final long seed;

	private final double allocatedFraction;

	private final Defect defect;

	private final SyntheticData data;

	private final VhdFooter footer;

	private final DynamicHeader header;

	private final BitSet allocated;

	/** Allocated block indices in file order. */
	private final int[] blocks;

	/** Footer copy, dynamic header and BAT; empty for a fixed disk. */
	private final byte[] head;

	private final byte[] footerBytes;

	private final long footerOffset;

	private SyntheticVhd(boolean dynamic, long virtualSize, long seed, double allocatedFraction, Defect defect) {
		if (virtualSize <= 0 || virtualSize % 512 != 0) {
			throw new IllegalArgumentException("virtual size must be a positive multiple of 512: " + virtualSize);
		}
		if (!(allocatedFraction > 0 && allocatedFraction <= 1)) {
			throw new IllegalArgumentException("allocated fraction must be in (0, 1]: " + allocatedFraction);
		}
		if (defect == Defect.DIFFERENCING && !dynamic) {
			throw new IllegalArgumentException("a differencing disk has the dynamic layout");
		}
		this.dynamic = dynamic;
		this.virtualSize = virtualSize;
		this.seed = seed;
		this.allocatedFraction = allocatedFraction;
		this.defect = defect;
		this.data = new SyntheticData(seed);
		int entries = dynamic ? Math.toIntExact((virtualSize + BLOCK_SIZE - 1) / BLOCK_SIZE) : 0;
		this.allocated = dynamic ? chooseBlocks(entries) : new BitSet();
		this.blocks = this.allocated.stream().toArray();
		this.footer = makeFooter();
		this.header = dynamic ? makeHeader(entries) : null;
		this.footerBytes = encodeFooter();
		this.head = dynamic ? makeHead(entries) : new byte[0];
		this.footerOffset = dynamic ? this.head.length + this.blocks.length * STRIDE : virtualSize;
	}

	/**
	 * @param virtualSize the disk size in bytes, a multiple of 512
	 * @param seed decides the data, time stamp and unique id
	 * @return a fixed disk: the data followed by the footer
	 */
	public static SyntheticVhd fixed(long virtualSize, long seed) {
		return new SyntheticVhd(false, virtualSize, seed, 1, Defect.NONE);
	}

	/**
	 * @param virtualSize the disk size in bytes, a multiple of 512
	 * @param seed decides the data, the allocated blocks, time stamp and unique id
	 * @return a dynamic disk with about a quarter of its blocks allocated
	 */
	public static SyntheticVhd dynamic(long virtualSize, long seed) {
		return dynamic(virtualSize, seed, DEFAULT_ALLOCATED_FRACTION);
	}

	/**
	 * @param virtualSize the disk size in bytes, a multiple of 512
	 * @param seed decides the data, the allocated blocks, time stamp and unique id
	 * @param allocatedFraction share of blocks allocated, in (0, 1]; at least one is
	 * @return a dynamic disk
	 */
	public static SyntheticVhd dynamic(long virtualSize, long seed, double allocatedFraction) {
		return new SyntheticVhd(true, virtualSize, seed, allocatedFraction, Defect.NONE);
	}

	/**
	 * @param defect what to break
	 * @return the same disk with that defect
	 */
	public SyntheticVhd withDefect(Defect defect) {
		return new SyntheticVhd(this.dynamic, this.virtualSize, this.seed, this.allocatedFraction, defect);
	}

	public long virtualSize() {
		return this.virtualSize;
	}

	public long seed() {
		return this.seed;
	}

	public boolean isDynamic() {
		return this.dynamic;
	}

	public Defect defect() {
		return this.defect;
	}

	/**
	 * @return the footer as written at the end (and, for a dynamic disk, at offset 0)
	 */
	public VhdFooter footer() {
		return this.footer;
	}

	/**
	 * @return the dynamic header, for a dynamic disk
	 */
	public Optional<DynamicHeader> dynamicHeader() {
		return Optional.ofNullable(this.header);
	}

	/**
	 * @return the number of allocated blocks of a dynamic disk, 0 for a fixed one
	 */
	public int allocatedBlocks() {
		return this.blocks.length;
	}

	/**
	 * The disk as a guest sees it, what {@code qemu-img convert -f vpc -O raw} yields: a
	 * test compares a converted copy's MD5 with this content's.
	 * @return content of {@link #virtualSize()} bytes
	 */
	public Content disk() {
		return new Disk();
	}

	@Override
	public long length() {
		return this.footerOffset + VhdFooter.SIZE;
	}

	@Override
	public InputStream open(long offset, long length) {
		if (offset < 0 || length < 0 || offset + length > length()) {
			throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + this);
		}
		return new GeneratedInputStream(this::fillFile, offset, length);
	}

	@Override
	public String toString() {
		return (this.dynamic ? "dynamic" : "fixed") + " VHD of " + this.virtualSize + " bytes, seed " + this.seed
				+ ((this.defect != Defect.NONE) ? ", " + this.defect : "");
	}

	private void fillFile(long position, byte[] dst, int off, int length) {
		long pos = position;
		int at = off;
		int remaining = length;
		long dataStart = this.head.length;
		while (remaining > 0) {
			int n;
			if (pos < dataStart) {
				n = (int) Math.min(remaining, dataStart - pos);
				System.arraycopy(this.head, (int) pos, dst, at, n);
			}
			else if (pos >= this.footerOffset) {
				n = remaining;
				System.arraycopy(this.footerBytes, (int) (pos - this.footerOffset), dst, at, n);
			}
			else if (!this.dynamic) {
				n = (int) Math.min(remaining, this.footerOffset - pos);
				this.data.fill(pos, dst, at, n);
			}
			else {
				long inBlocks = pos - dataStart;
				int block = (int) (inBlocks / STRIDE);
				long within = inBlocks % STRIDE;
				if (within < BITMAP_SIZE) {
					n = (int) Math.min(remaining, BITMAP_SIZE - within);
					Arrays.fill(dst, at, at + n, (byte) 0xFF);
				}
				else {
					n = (int) Math.min(remaining, STRIDE - within);
					this.data.fill((long) this.blocks[block] * BLOCK_SIZE + within - BITMAP_SIZE, dst, at, n);
				}
			}
			pos += n;
			at += n;
			remaining -= n;
		}
	}

	private void fillDisk(long position, byte[] dst, int off, int length) {
		if (!this.dynamic) {
			this.data.fill(position, dst, off, length);
			return;
		}
		long pos = position;
		int at = off;
		int remaining = length;
		while (remaining > 0) {
			int block = (int) (pos / BLOCK_SIZE);
			int n = (int) Math.min(remaining, (long) (block + 1) * BLOCK_SIZE - pos);
			if (this.allocated.get(block)) {
				this.data.fill(pos, dst, at, n);
			}
			else {
				Arrays.fill(dst, at, at + n, (byte) 0);
			}
			pos += n;
			at += n;
			remaining -= n;
		}
	}

	private BitSet chooseBlocks(int entries) {
		BitSet chosen = new BitSet(entries);
		long key = SyntheticData.mix(this.seed ^ 0xB10CB10CB10CB10CL);
		for (int i = 0; i < entries; i++) {
			double draw = (SyntheticData.mix(key + i) >>> 11) * 0x1.0p-53;
			if (draw < this.allocatedFraction) {
				chosen.set(i);
			}
		}
		if (chosen.isEmpty()) {
			chosen.set(0);
		}
		return chosen;
	}

	private VhdFooter makeFooter() {
		long hash = SyntheticData.mix(this.seed ^ 0xF007E7F007E7F007L);
		long timestamp = BASE_TIMESTAMP + Long.remainderUnsigned(hash, 365L * 24 * 3600);
		long dataOffset = this.dynamic ? HEADER_OFFSET : VhdFooter.NO_DATA_OFFSET;
		int type = this.dynamic ? VhdFooter.DYNAMIC : VhdFooter.FIXED;
		VhdFooter made = VhdFooter.of(type, this.virtualSize, dataOffset, timestamp, CREATOR_APPLICATION,
				uuid(SyntheticData.mix(hash)));
		return switch (this.defect) {
			case NONE, BAD_CHECKSUM -> made;
			case NOT_A_VHD -> made.withCookie("garbage!");
			case DIFFERENCING -> made.withDiskType(VhdFooter.DIFFERENCING);
			case UNSUPPORTED_TYPE -> made.withDiskType(5);
			case ZERO_UUID -> made.withUniqueId(new UUID(0, 0));
		};
	}

	private byte[] encodeFooter() {
		if (this.defect == Defect.BAD_CHECKSUM) {
			return this.footer.withChecksum(this.footer.checksum() ^ 1).encodeAsIs();
		}
		return this.footer.encodeAsIs();
	}

	private DynamicHeader makeHeader(int entries) {
		DynamicHeader made = DynamicHeader.of(TABLE_OFFSET, entries, BLOCK_SIZE);
		if (this.defect == Defect.DIFFERENCING) {
			long hash = SyntheticData.mix(this.seed ^ 0xBA5EBA5EBA5EBA5EL);
			return made.withParent(uuid(hash), BASE_TIMESTAMP, "parent-" + this.seed + ".vhd");
		}
		return made;
	}

	private byte[] makeHead(int entries) {
		long tableBytes = (entries * 4L + 511) / 512 * 512;
		ByteBuffer head = ByteBuffer.allocate(Math.toIntExact(TABLE_OFFSET + tableBytes));
		head.put(this.footerBytes).put(this.header.encodeAsIs());
		int[] sectorOf = new int[entries];
		Arrays.fill(sectorOf, DynamicHeader.UNALLOCATED);
		long firstBlock = head.capacity();
		for (int k = 0; k < this.blocks.length; k++) {
			sectorOf[this.blocks[k]] = Math.toIntExact((firstBlock + k * STRIDE) / 512);
		}
		for (int entry : sectorOf) {
			head.putInt(entry);
		}
		while (head.hasRemaining()) {
			head.put((byte) 0xFF);
		}
		return head.array();
	}

	private static UUID uuid(long hash) {
		long msb = (SyntheticData.mix(hash) & ~0xF000L) | 0x4000L;
		long lsb = (SyntheticData.mix(hash + 1) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

	/**
	 * Ways to make the disk unimportable, each answered by Rackspace with its own code.
	 * Sizes above the limit need no defect: a fixed disk above it is 413 (the virtual
	 * size is checked first), a dynamic disk whose file is above it 609.
	 */
	public enum Defect {

		/** A valid disk. */
		NONE,

		/** The cookie is garbage: 396. */
		NOT_A_VHD,

		/** The footer's checksum is off by one bit: 111. */
		BAD_CHECKSUM,

		/** Disk type 4 with a parent named in the dynamic header: 721. */
		DIFFERENCING,

		/** Disk type 5: 523. */
		UNSUPPORTED_TYPE,

		/** The unique id is all zeros: 614. */
		ZERO_UUID

	}

	/**
	 * The guest's view of the disk.
	 */
	private final class Disk implements Content {

		@Override
		public long length() {
			return SyntheticVhd.this.virtualSize;
		}

		@Override
		public InputStream open(long offset, long length) {
			if (offset < 0 || length < 0 || offset + length > length()) {
				throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside the disk");
			}
			return new GeneratedInputStream(SyntheticVhd.this::fillDisk, offset, length);
		}

	}

}

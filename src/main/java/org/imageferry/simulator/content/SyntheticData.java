package org.imageferry.simulator.content;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The data bytes of a synthetic disk: pseudo-random looking, different per seed and per
 * 512-byte sector, and cheap enough to generate at memory-copy speed.
 * <p>
 * One 1 MiB random buffer is shared by all seeds; a seed picks a rotation into it and a
 * key for the stamps: the first 8 bytes of every sector are XORed with a hash of the seed
 * and the sector number. A copy with reordered, repeated or missing pieces therefore has
 * a different MD5 at any granularity down to a sector, while generating costs one
 * {@code arraycopy} and one hash per sector.
 */
final class SyntheticData {

	private static final int BUFFER_SIZE = 1 << 20;

	private static final int MASK = BUFFER_SIZE - 1;

	private static final byte[] BUFFER = new byte[BUFFER_SIZE];

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	static {
		new SplittableRandom(0x1A6EF0A7L).nextBytes(BUFFER);
	}

	private final int rotation;

	private final long stampKey;

	SyntheticData(long seed) {
		long hash = mix(seed);
		this.rotation = (int) (hash & MASK);
		this.stampKey = mix(hash ^ 0x5EC7085EC7085EC7L);
	}

	/**
	 * Writes the data bytes at {@code [diskOffset, diskOffset + length)} into
	 * {@code dst}.
	 */
	void fill(long diskOffset, byte[] dst, int off, int length) {
		long position = diskOffset;
		int at = off;
		int remaining = length;
		while (remaining > 0) {
			int from = (int) ((position + this.rotation) & MASK);
			int n = Math.min(remaining, BUFFER_SIZE - from);
			System.arraycopy(BUFFER, from, dst, at, n);
			position += n;
			at += n;
			remaining -= n;
		}
		long end = diskOffset + length;
		for (long sector = diskOffset >>> 9; (sector << 9) < end; sector++) {
			long start = sector << 9;
			long stamp = mix(this.stampKey + sector * 0x9E3779B97F4A7C15L);
			if (start >= diskOffset && start + 8 <= end) {
				int index = off + (int) (start - diskOffset);
				LONGS.set(dst, index, (long) LONGS.get(dst, index) ^ stamp);
			}
			else {
				for (int i = 0; i < 8; i++) {
					long p = start + i;
					if (p >= diskOffset && p < end) {
						dst[off + (int) (p - diskOffset)] ^= (byte) (stamp >>> (56 - 8 * i));
					}
				}
			}
		}
	}

	/**
	 * SplitMix64's finaliser: a cheap, well-mixing hash of a long.
	 */
	static long mix(long value) {
		long z = value + 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

}

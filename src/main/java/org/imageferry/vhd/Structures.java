package org.imageferry.vhd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Byte-level helpers shared by the footer and the dynamic header, which use the same
 * checksum and the same big-endian encodings.
 */
final class Structures {

	private Structures() {
	}

	/**
	 * The VHD checksum: one's complement of the sum of all bytes, the checksum field
	 * itself counted as zero. Computed on raw bytes so that reserved bytes a parsed
	 * record does not keep still count, as they do for Rackspace.
	 */
	static int checksum(byte[] bytes, int checksumOffset) {
		int sum = 0;
		for (int i = 0; i < bytes.length; i++) {
			if (i < checksumOffset || i >= checksumOffset + 4) {
				sum += bytes[i] & 0xFF;
			}
		}
		return ~sum;
	}

	static String ascii(ByteBuffer buffer, int offset, int length) {
		byte[] bytes = new byte[length];
		buffer.get(offset, bytes);
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	static void putAscii(ByteBuffer buffer, int offset, String value, int length) {
		byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
		if (bytes.length != length) {
			throw new IllegalArgumentException("'" + value + "' is not " + length + " bytes");
		}
		buffer.put(offset, bytes);
	}

	static UUID uuid(ByteBuffer buffer, int offset) {
		return new UUID(buffer.getLong(offset), buffer.getLong(offset + 8));
	}

	static void putUuid(ByteBuffer buffer, int offset, UUID value) {
		buffer.putLong(offset, value.getMostSignificantBits());
		buffer.putLong(offset + 8, value.getLeastSignificantBits());
	}

	static ByteBuffer wrap(byte[] bytes, int expectedLength, String what) {
		if (bytes == null || bytes.length != expectedLength) {
			throw new IllegalArgumentException(
					what + " must be " + expectedLength + " bytes, got " + ((bytes != null) ? bytes.length : null));
		}
		return ByteBuffer.wrap(bytes);
	}

}

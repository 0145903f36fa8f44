package org.imageferry.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.imageferry.simulator.content.Content;
import org.imageferry.simulator.content.DigestOnly;
import org.imageferry.simulator.content.FileContent;
import org.imageferry.simulator.content.InMemory;

/**
 * Receives an object body as it streams in: MD5 on the fly, bytes to a file while the
 * object is small, and only a digest (with head and tail) once it grows past the keep
 * limit, so uploads of any size cost constant memory and bounded disk. A body no larger
 * than what a large upload keeps of itself ({@link InMemory#MAX}) stays in memory,
 * sparing a file per PUT.
 */
final class Upload {

	record Received(Content content, String md5) {
	}

	private Upload() {
	}

	/**
	 * @param declared the Content-Length, or -1 when chunked
	 * @throws ApiError 413 when the body is larger than {@code max}
	 * @throws IOException when the body ends before its declared length (a dropped
	 * client)
	 */
	static Received receive(InputStream in, long declared, long max, long keep, Path dir) throws IOException {
		if (declared > max) {
			throw new ApiError(413, "Your request is too large.");
		}
		byte[] first = new byte[InMemory.MAX + 1];
		int n;
		try {
			n = in.readNBytes(first, 0, first.length);
		}
		catch (IOException ex) {
			in.close();
			throw ex;
		}
		if (n <= InMemory.MAX && n <= keep && n <= max) {
			try (in) {
				if (declared >= 0 && n != declared) {
					throw new IOException("body ended after " + n + " of " + declared + " bytes");
				}
			}
			byte[] body = Arrays.copyOf(first, n);
			return new Received(new InMemory(body), HexFormat.of().formatHex(md5().digest(body)));
		}
		return toFile(new SequenceInputStream(new ByteArrayInputStream(first, 0, n), in), declared, max, keep, dir);
	}

	private static Received toFile(InputStream in, long declared, long max, long keep, Path dir) throws IOException {
		MessageDigest md5 = md5();
		Path file = Files.createTempFile(dir, "object-", ".bin");
		OutputStream out = Files.newOutputStream(file);
		byte[] head = new byte[DigestOnly.HEAD];
		byte[] tail = new byte[DigestOnly.TAIL];
		byte[] buffer = new byte[256 * 1024];
		long total = 0;
		boolean success = false;
		try (in) {
			int n;
			while ((n = in.read(buffer)) > 0) {
				md5.update(buffer, 0, n);
				if (total < head.length) {
					System.arraycopy(buffer, 0, head, (int) total, (int) Math.min(n, head.length - total));
				}
				keepTail(tail, buffer, n);
				total += n;
				if (total > max) {
					throw new ApiError(413, "Your request is too large.");
				}
				if (out != null && total > keep) {
					out.close();
					out = null;
					Files.delete(file);
				}
				if (out != null) {
					out.write(buffer, 0, n);
				}
			}
			if (declared >= 0 && total != declared) {
				throw new IOException("body ended after " + total + " of " + declared + " bytes");
			}
			success = true;
		}
		finally {
			if (out != null) {
				out.close();
			}
			if (!success || total > keep) {
				Files.deleteIfExists(file);
			}
		}
		String digest = HexFormat.of().formatHex(md5.digest());
		if (total > keep) {
			int tailLength = (int) Math.min(total, tail.length);
			return new Received(new DigestOnly(total, Arrays.copyOf(head, (int) Math.min(total, head.length)),
					Arrays.copyOfRange(tail, tail.length - tailLength, tail.length)), digest);
		}
		return new Received(FileContent.of(file), digest);
	}

	private static void keepTail(byte[] tail, byte[] chunk, int n) {
		if (n >= tail.length) {
			System.arraycopy(chunk, n - tail.length, tail, 0, tail.length);
		}
		else {
			System.arraycopy(tail, n, tail, 0, tail.length - n);
			System.arraycopy(chunk, 0, tail, tail.length - n, n);
		}
	}

	static MessageDigest md5() {
		try {
			return MessageDigest.getInstance("MD5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * MD5 of content the simulator generated itself (export segments), computed by
	 * reading it once.
	 */
	static String md5(Content content) throws IOException {
		MessageDigest md5 = md5();
		byte[] buffer = new byte[256 * 1024];
		try (InputStream in = content.open()) {
			int n;
			while ((n = in.read(buffer)) > 0) {
				md5.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(md5.digest());
	}

}

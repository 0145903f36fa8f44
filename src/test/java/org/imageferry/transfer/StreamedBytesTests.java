package org.imageferry.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process's streamed-bytes count grows with each buffer read, not when a segment is
 * done, and a failed copy takes its bytes back.
 */
class StreamedBytesTests {

	private static final int KIB = 1024;

	@Test
	void bytesCountAsTheyAreReadAndAFailedCopyTakesThemBack() throws IOException {
		// given
		long before = StreamedBytes.total();
		StreamedBytes.Counting body = StreamedBytes.counting(new ByteArrayInputStream(new byte[1024 * KIB]),
				BandwidthCap.NONE);

		// when
		body.readNBytes(256 * KIB);
		long partWay = StreamedBytes.total() - before;
		body.readAllBytes();
		long whole = StreamedBytes.total() - before;
		body.takeBack();

		// then
		assertThat(partWay).isEqualTo(256 * KIB);
		assertThat(whole).isEqualTo(1024 * KIB);
		assertThat(StreamedBytes.total()).isEqualTo(before);
	}

	@Test
	void aSingleByteReadCountsOneAndTheEndCountsNothing() throws IOException {
		// given
		long before = StreamedBytes.total();
		try (InputStream body = StreamedBytes.counting(new ByteArrayInputStream(new byte[] { 7 }), BandwidthCap.NONE)) {

			// when
			int first = body.read();
			int end = body.read();

			// then
			assertThat(first).isEqualTo(7);
			assertThat(end).isEqualTo(-1);
			assertThat(StreamedBytes.total() - before).isEqualTo(1);
		}
	}

}

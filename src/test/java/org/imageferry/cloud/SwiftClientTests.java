package org.imageferry.cloud;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The streamed data path of {@link SwiftClient} — {@code download} and {@code put} over
 * blocking I/O — against the simulated Cloud Files: what arrives is stored only when it
 * is whole and matches its MD5.
 */
class SwiftClientTests {

	private SimulatedSwift swift;

	private final byte[] bytes = new byte[3 * ObjectStream.COPY_BUFFER + 123];

	@BeforeEach
	void start() throws IOException {
		this.swift = new SimulatedSwift(SimulatorConfig.builder());
		new Random(5).nextBytes(this.bytes);
	}

	@AfterEach
	void stop() {
		this.swift.close();
	}

	@Test
	void putThenDownloadGivesTheSameBytesAndTheEtagIsTheirMd5() throws IOException {
		// given
		String md5 = SimulatedSwift.md5(this.bytes);

		// when
		String etag = this.swift.iad.put("imports", "object", this.bytes.length, new ByteArrayInputStream(this.bytes),
				md5);
		byte[] read;
		try (InputStream in = this.swift.iad.download("imports", "object")) {
			read = in.readAllBytes();
		}

		// then
		assertThat(etag).isEqualTo(md5);
		assertThat(read).isEqualTo(this.bytes);
	}

	@Test
	void aBodyWithOneByteChangedIsRefusedWith422AndNotStored() {
		// given
		String md5 = SimulatedSwift.md5(this.bytes);
		byte[] corrupt = Arrays.copyOf(this.bytes, this.bytes.length);
		corrupt[ObjectStream.COPY_BUFFER + 7] ^= 0x01;

		// when / then
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.swift.iad.put("imports", "object", corrupt.length, new ByteArrayInputStream(corrupt),
					md5))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(422))
			.satisfies((ex) -> assertThat(ex.retryable()).isTrue())
			.withMessageContaining("MD5");
		assertThat(this.swift.imported()).isEmpty();
	}

	@Test
	void aBodyThatEndsEarlyAbandonsTheUploadAndNothingIsStored() {
		// given
		byte[] shorter = Arrays.copyOf(this.bytes, this.bytes.length - 1000);

		// when / then
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.swift.iad.put("imports", "object", this.bytes.length,
					new ByteArrayInputStream(shorter), SimulatedSwift.md5(this.bytes)))
			.satisfies((ex) -> assertThat(ex.retryable()).isTrue())
			.withMessageContaining("ended after " + shorter.length + " of " + this.bytes.length + " bytes");
		assertThat(this.swift.imported()).isEmpty();
	}

	@Test
	void anInterruptedCopyStopsWithoutRetryAndKeepsTheInterrupt() {
		// given
		Thread.currentThread().interrupt();

		// when / then
		try {
			assertThatExceptionOfType(CloudException.class)
				.isThrownBy(() -> this.swift.iad.put("imports", "object", this.bytes.length,
						new ByteArrayInputStream(this.bytes), SimulatedSwift.md5(this.bytes)))
				.satisfies((ex) -> assertThat(ex.retryable()).isFalse())
				.withMessageContaining("interrupted");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(this.swift.imported()).isEmpty();
	}

	@Test
	void downloadingAMissingObjectIsPermanent() {
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.swift.dfw.download("exports", "missing.vhd-00001"))
			.satisfies((ex) -> assertThat(ex.notFound()).isTrue())
			.satisfies((ex) -> assertThat(ex.retryable()).isFalse());
	}

	@Test
	void deleteAllDeletesTheListedObjectsAndNothingElseAndAGoneOneIsNoError() {
		// given
		for (String name : List.of("a.vhd", "a.vhd-00001", "a.vhd-00002", "other")) {
			this.swift.source(name, name.getBytes(StandardCharsets.UTF_8));
		}

		// when
		this.swift.dfw.deleteAll("exports", List.of("a.vhd", "a.vhd-00001", "a.vhd-00002", "never-there"));

		// then
		assertThat(this.swift.dfw.list("exports", "")).extracting(ObjectInfo::name).containsExactly("other");
	}

	@Test
	void deleteAllRaisesWhatTheBulkDeleteReportsFailedThoughSwiftAnswered200() {
		// given
		this.swift.dfw.ensureContainer("full");
		this.swift.dfw.put("full", "x", 1, new ByteArrayInputStream(new byte[1]), SimulatedSwift.md5(new byte[1]));

		// when the list names the container itself ("/full/"), which is not empty
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> this.swift.dfw.deleteAll("full", List.of("")))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400))
			.satisfies((ex) -> assertThat(ex.retryable()).isFalse())
			.withMessageContaining("409 Conflict");
	}

}

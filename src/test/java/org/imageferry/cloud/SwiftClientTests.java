package org.imageferry.cloud;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.imageferry.testsupport.Backend;
import org.imageferry.testsupport.SimulatedSwift;
import org.imageferry.testsupport.SwiftBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link SwiftClient} against the simulated Cloud Files and a real Swift: the streamed
 * data path — {@code download} and {@code put} over blocking I/O — stores what arrives
 * only when it is whole and matches its MD5; listings page by marker; a Dynamic Large
 * Object reads as its segments, ranges included; bulk delete reports what it could not
 * delete.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class SwiftClientTests {

	@Parameter
	Backend backend;

	private SwiftBackend swift;

	private SwiftClient source;

	private String exports;

	private SwiftClient target;

	private String imports;

	private final byte[] bytes = new byte[3 * ObjectStream.COPY_BUFFER + 123];

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(1024 * 1024);
		this.source = this.swift.source();
		this.exports = this.swift.sourceContainer();
		this.target = this.swift.target();
		this.imports = this.swift.targetContainer();
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
		String etag = this.target.put(this.imports, "object", this.bytes.length, new ByteArrayInputStream(this.bytes),
				md5);
		byte[] read;
		try (InputStream in = this.target.download(this.imports, "object")) {
			read = in.readAllBytes();
		}

		// then
		assertThat(etag).isEqualTo(md5);
		assertThat(read).isEqualTo(this.bytes);
		assertThat(this.swift.storedMd5("object")).isEqualTo(md5);
	}

	@Test
	void aBodyWithOneByteChangedIsRefusedWith422AndNotStored() {
		// given
		String md5 = SimulatedSwift.md5(this.bytes);
		byte[] corrupt = Arrays.copyOf(this.bytes, this.bytes.length);
		corrupt[ObjectStream.COPY_BUFFER + 7] ^= 0x01;

		// when / then
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.target.put(this.imports, "object", corrupt.length, new ByteArrayInputStream(corrupt),
					md5))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(422))
			.satisfies((ex) -> assertThat(ex.retryable()).isTrue())
			.withMessageContaining("MD5");
		assertThat(this.swift.targetObjects()).isEmpty();
	}

	@Test
	void aBodyThatEndsEarlyAbandonsTheUploadAndNothingIsStored() {
		// given
		byte[] shorter = Arrays.copyOf(this.bytes, this.bytes.length - 1000);

		// when / then
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.target.put(this.imports, "object", this.bytes.length,
					new ByteArrayInputStream(shorter), SimulatedSwift.md5(this.bytes)))
			.satisfies((ex) -> assertThat(ex.retryable()).isTrue())
			.withMessageContaining("ended after " + shorter.length + " of " + this.bytes.length + " bytes");
		assertThat(this.swift.targetObjects()).isEmpty();
	}

	@Test
	void anInterruptedCopyStopsWithoutRetryAndKeepsTheInterrupt() {
		// given
		Thread.currentThread().interrupt();

		// when / then
		try {
			assertThatExceptionOfType(CloudException.class)
				.isThrownBy(() -> this.target.put(this.imports, "object", this.bytes.length,
						new ByteArrayInputStream(this.bytes), SimulatedSwift.md5(this.bytes)))
				.satisfies((ex) -> assertThat(ex.retryable()).isFalse())
				.withMessageContaining("interrupted");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(this.swift.targetObjects()).isEmpty();
	}

	@Test
	void downloadingAMissingObjectIsPermanent() {
		assertThatExceptionOfType(CloudException.class)
			.isThrownBy(() -> this.source.download(this.exports, "missing.vhd-00001"))
			.satisfies((ex) -> assertThat(ex.notFound()).isTrue())
			.satisfies((ex) -> assertThat(ex.retryable()).isFalse());
	}

	@Test
	void aListingIsReadPageByPageFromEachPagesLastName() {
		// given: seven names under the prefix, a page boundary on a name that needs
		// encoding, and names beside the prefix
		List<ObjectInfo> put = new ArrayList<>();
		for (String name : List.of("seg-00001", "seg-00002", "seg-00003 ä", "seg-00004", "seg-00005", "seg-00006/é",
				"seg-00007")) {
			put.add(this.swift.put(name, name.getBytes(StandardCharsets.UTF_8)));
		}
		this.swift.put("seg", new byte[1]);
		this.swift.put("segment", new byte[2]);

		// when: three pages, the last one short; two pages, the last one empty
		List<ObjectInfo> byThrees = client(3).list(this.exports, "seg-");
		List<ObjectInfo> bySevens = client(7).list(this.exports, "seg-");

		// then
		assertThat(byThrees).containsExactlyElementsOf(put);
		assertThat(bySevens).containsExactlyElementsOf(put);
		assertThat(client(3).list(this.exports, "nothing-")).isEmpty();
	}

	/**
	 * A client of the source account that asks for {@code listingPage} names at a time.
	 */
	private SwiftClient client(int listingPage) {
		return new SwiftClient(this.swift.sourceAccount(), this.source.region(), false, HttpClient.newHttpClient(),
				Retries.none(), Duration.ofSeconds(10), listingPage, SwiftClient.DELETES_PER_SECOND);
	}

	@Test
	void aManifestReadsAsItsSegmentsAndItsEtagIsTheMd5OfTheirEtags() throws IOException {
		// given
		byte[] whole = segments("image.vhd", 3000, 3000, 1234);

		// when
		this.source.putManifest(this.exports, "image.vhd", this.exports + "/image.vhd-");

		// then
		List<ObjectInfo> segments = this.source.list(this.exports, "image.vhd-");
		StringBuilder etags = new StringBuilder();
		segments.forEach((s) -> etags.append(s.etag()));
		assertThat(this.source.head(this.exports, "image.vhd")).hasValueSatisfying((manifest) -> {
			assertThat(manifest.bytes()).isEqualTo(whole.length);
			assertThat(manifest.etag())
				.isEqualTo(SimulatedSwift.md5(etags.toString().getBytes(StandardCharsets.UTF_8)));
			assertThat(manifest.dloManifest()).isEqualTo(this.exports + "/image.vhd-");
		});
		try (InputStream in = this.source.download(this.exports, "image.vhd")) {
			assertThat(in.readAllBytes()).isEqualTo(whole);
		}
	}

	@Test
	void aRangeIsReadExactlyAlsoAcrossTheSegmentsOfAManifest() {
		// given
		byte[] whole = segments("image.vhd", 3000, 3000, 1234);
		this.source.putManifest(this.exports, "image.vhd", this.exports + "/image.vhd-");

		// when
		byte[] acrossSegments = this.source.read(this.exports, "image.vhd", 2990, 20);
		byte[] footer = this.source.read(this.exports, "image.vhd", whole.length - 512, 512);
		byte[] inOneSegment = this.source.read(this.exports, "image.vhd-00002", 100, 50);

		// then
		assertThat(acrossSegments).isEqualTo(Arrays.copyOfRange(whole, 2990, 3010));
		assertThat(footer).isEqualTo(Arrays.copyOfRange(whole, whole.length - 512, whole.length));
		assertThat(inOneSegment).isEqualTo(Arrays.copyOfRange(whole, 3100, 3150));
	}

	@Test
	void deleteAllDeletesTheListedObjectsAndNothingElseAndAGoneOneIsNoError() {
		// given
		for (String name : List.of("a.vhd", "a.vhd-00001", "a.vhd-00002", "other")) {
			this.swift.put(name, name.getBytes(StandardCharsets.UTF_8));
		}

		// when
		Deletion deletion = this.source.deleteAll(this.exports,
				List.of("a.vhd", "a.vhd-00001", "a.vhd-00002", "never-there"));

		// then
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		assertThat(this.source.list(this.exports, "")).extracting(ObjectInfo::name).containsExactly("other");
	}

	@Test
	void deleteAllAnswersWhatTheBulkDeleteReportsFailedThoughSwiftAnswered200() {
		// given
		String full = this.exports + "-full";
		this.source.ensureContainer(full);
		this.source.put(full, "x", 1, new ByteArrayInputStream(new byte[1]), SimulatedSwift.md5(new byte[1]));

		// when the list names the container itself ("/<full>/"), which is not empty
		Deletion deletion = this.source.deleteAll(full, List.of("", "never-there"));

		// then
		assertThat(deletion.left()).containsExactly("");
		assertThat(deletion.reason()).contains("409 Conflict");
		assertThat(this.source.list(full, "")).extracting(ObjectInfo::name).containsExactly("x");
	}

	/**
	 * Puts segments {@code <name>-00001}… of the given sizes in the source container.
	 * @return their bytes, concatenated
	 */
	private byte[] segments(String name, int... sizes) {
		ByteArrayOutputStream whole = new ByteArrayOutputStream();
		Random random = new Random(7);
		for (int i = 0; i < sizes.length; i++) {
			byte[] segment = new byte[sizes[i]];
			random.nextBytes(segment);
			this.swift.put(name + "-%05d".formatted(i + 1), segment);
			whole.writeBytes(segment);
		}
		return whole.toByteArray();
	}

}

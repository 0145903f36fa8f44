package org.imageferry.transfer;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.testsupport.Backend;
import org.imageferry.testsupport.SimulatedSwift;
import org.imageferry.testsupport.SwiftBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link SegmentCopier} from one account's Cloud Files to another's, on the simulated
 * cloud and on a real Swift: a segment arrives byte for byte, and a body that does not
 * match its ETag is never stored. What needs the simulator's fault injection is in
 * {@link SegmentCopierSimulatorTests}.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class SegmentCopierTests {

	private static final long MIB = 1024 * 1024;

	@Parameter
	Backend backend;

	private SwiftBackend swift;

	private final SegmentCopier copier = new SegmentCopier(4, Duration.ofMillis(1), new SimpleMeterRegistry(),
			BandwidthCap.NONE);

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(64 * MIB);
	}

	@AfterEach
	void stop() {
		this.swift.close();
	}

	@Test
	void copiesASegmentByteForByte() {
		// given
		ObjectInfo segment = this.swift.put("a.vhd-00001", bytes(5 * MIB + 17));

		// when
		copy(segment);

		// then
		assertThat(this.swift.targetObjects()).singleElement().satisfies((o) -> {
			assertThat(o.name()).isEqualTo(segment.name());
			assertThat(o.bytes()).isEqualTo(segment.bytes());
			assertThat(o.etag()).isEqualTo(segment.etag());
		});
		assertThat(this.swift.storedMd5(segment.name())).isEqualTo(segment.etag());
	}

	@Test
	void bytesThatDoNotMatchTheSegmentsEtagAreNeverStored() {
		// given: the listing's ETag is not the MD5 of what a GET returns, as when a byte
		// changed on the way
		ObjectInfo read = this.swift.put("a.vhd-00001", bytes(2 * MIB));
		ObjectInfo listed = new ObjectInfo(read.name(), read.bytes(), SimulatedSwift.md5(new byte[] { 1 }), null);

		// when / then: the target refuses every attempt (422), and the copier's own MD5
		// of what it read disagrees too
		assertThatExceptionOfType(CloudException.class).isThrownBy(() -> copy(listed)).withMessageContaining("MD5");
		assertThat(targetPuts(listed)).hasSize(4).allSatisfy((r) -> assertThat(r.status()).isEqualTo(422));
		assertThat(this.swift.targetObjects()).isEmpty();
	}

	private void copy(ObjectInfo segment) {
		this.copier.copy(this.swift.source(), this.swift.sourceContainer(), this.swift.target(),
				this.swift.targetContainer(), segment);
	}

	private List<SwiftBackend.Served> targetPuts(ObjectInfo segment) {
		return this.swift.served()
			.stream()
			.filter((r) -> r.end() == SwiftBackend.End.TARGET && r.method().equals("PUT")
					&& r.object().equals(segment.name()))
			.toList();
	}

	static byte[] bytes(long size) {
		byte[] bytes = new byte[(int) size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}

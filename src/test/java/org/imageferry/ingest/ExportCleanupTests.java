package org.imageferry.ingest;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.imageferry.await.Workers;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.testsupport.Backend;
import org.imageferry.testsupport.SwiftBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clean-up of migrated images' exports that {@link Finalizer} runs, on the simulated
 * Cloud Files and on a real Swift: each export's manifest and segments go with bulk
 * deletes, nothing else in the container does, and finishing again after a crash (part of
 * it already gone) deletes the rest.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class ExportCleanupTests {

	private static final long MIB = 1024 * 1024;

	@Parameter
	Backend backend;

	private SwiftBackend swift;

	private final Workers workers = new Workers(2, "cleanup-test");

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(MIB);
	}

	@AfterEach
	void stop() {
		this.workers.close();
		this.swift.close();
	}

	@Test
	void deletesEachExportsManifestAndSegmentsAndNothingElse() throws Exception {
		// given: two exports of three segments, and an object beside them
		String first = exportedImage();
		String second = exportedImage();
		this.swift.put("other.vhd", new byte[3]);

		// when
		Finalizer.deleteExports(this.swift.sourceSide(), List.of(row(first), row(second)), this.workers);

		// then
		assertThat(this.swift.source().list(this.swift.sourceContainer(), "")).extracting(ObjectInfo::name)
			.containsExactly("other.vhd");
	}

	@Test
	void afterACrashBetweenManifestAndSegmentsTheNextAttemptDeletesTheRest() throws Exception {
		// given: the manifest went, its segments stayed
		String image = exportedImage();
		this.swift.source().delete(this.swift.sourceContainer(), image + ".vhd");

		// when
		Finalizer.deleteExports(this.swift.sourceSide(), List.of(row(image)), this.workers);
		Finalizer.deleteExports(this.swift.sourceSide(), List.of(row(image)), this.workers);

		// then
		assertThat(this.swift.source().list(this.swift.sourceContainer(), "")).isEmpty();
	}

	/** Exports an image of three 1 MiB segments; answers its id. */
	private String exportedImage() throws Exception {
		List<ObjectInfo> segments = this.swift.export(3 * MIB - 512);
		assertThat(segments).hasSize(3);
		return segments.get(0).name().replaceFirst("\\.vhd-\\d+$", "");
	}

	private static ImageRecord row(String sourceImageId) {
		return new ImageRecord(1, "DFW:alice->IAD:alice", sourceImageId, "image", null, ImageState.MIGRATED, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				List.of());
	}

}

package org.imageferry.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.imageferry.ledger.Leftover;
import org.imageferry.testsupport.CleanupBackend;
import org.imageferry.testsupport.SwiftBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clean-up of migrated images' exports ({@link ExportCleaner}) on the simulated Cloud
 * Files and on a real Swift, each with and without bulk delete, the simulator limiting a
 * container to 100 writes a second: each export's manifest and segments go — in bulk
 * deletes where offered, else one {@code DELETE} each — more objects than a container
 * takes in a second all go (paced once the container pushes back), nothing else in the
 * container goes, and cleaning again after a crash (part of it already gone) deletes the
 * rest.
 */
@ParameterizedClass
@EnumSource(CleanupBackend.class)
class ExportCleanupTests {

	private static final long SEGMENT = 64 * 1024;

	@Parameter
	CleanupBackend backend;

	private SwiftBackend swift;

	private final Workers workers = new Workers(2, "cleanup-test");

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(SEGMENT);
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
		Map<Long, List<Leftover>> left = deleteExports(List.of(row(1, first), row(2, second)));

		// then
		assertThat(left).isEmpty();
		assertThat(this.swift.source().list(this.swift.sourceContainer(), "")).extracting(ObjectInfo::name)
			.containsExactly("other.vhd");
	}

	@Test
	void afterACrashBetweenManifestAndSegmentsTheNextAttemptDeletesTheRest() throws Exception {
		// given: the manifest went, its segments stayed
		String image = exportedImage();
		this.swift.source().delete(this.swift.sourceContainer(), image + ".vhd");

		// when
		deleteExports(List.of(row(1, image)));
		Map<Long, List<Leftover>> left = deleteExports(List.of(row(1, image)));

		// then
		assertThat(left).isEmpty();
		assertThat(this.swift.source().list(this.swift.sourceContainer(), "")).isEmpty();
	}

	@Test
	void moreObjectsThanAContainerTakesInASecondAllGoAsTheClusterOffers() throws Exception {
		// given: 30 exports, 120 objects
		List<ImageRecord> rows = new ArrayList<>();
		for (int i = 1; i <= 30; i++) {
			rows.add(row(i, exportedImage()));
		}
		int served = this.swift.served().size();

		// when
		Map<Long, List<Leftover>> left = deleteExports(rows);

		// then: all gone, in bulk deletes where offered, else a DELETE each (a few
		// refused
		// for now by the write limit before the pace is kept, then sent again)
		assertThat(left).isEmpty();
		assertThat(this.swift.source().list(this.swift.sourceContainer(), "")).isEmpty();
		List<SwiftBackend.Served> deletes = this.swift.served()
			.subList(served, this.swift.served().size())
			.stream()
			.filter((s) -> s.method().equals("DELETE"))
			.toList();
		if (this.backend.bulkDelete()) {
			assertThat(deletes).as("single DELETEs where bulk delete is offered").isEmpty();
		}
		else {
			assertThat(deletes.stream().filter((s) -> s.status() != 429)).hasSize(120)
				.allSatisfy((s) -> assertThat(s.status()).isIn(204, 404));
			assertThat(deletes.stream().filter((s) -> s.status() == 429)).as("DELETEs refused for now")
				.hasSizeLessThan(20);
		}
	}

	private Map<Long, List<Leftover>> deleteExports(List<ImageRecord> rows) {
		return ExportCleaner.deleteExports(this.swift.sourceSide(), Leftover.End.SOURCE, rows, this.workers);
	}

	/** Exports an image of three segments; answers its id. */
	private String exportedImage() throws Exception {
		List<ObjectInfo> segments = this.swift.export(3 * SEGMENT - 512);
		assertThat(segments).hasSize(3);
		return segments.get(0).name().replaceFirst("\\.vhd-\\d+$", "");
	}

	static ImageRecord row(long id, String sourceImageId) {
		return new ImageRecord(id, "DFW:alice->IAD:alice", sourceImageId, "image", null, ImageState.MIGRATED, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, List.of(), List.of());
	}

}

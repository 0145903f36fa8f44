package org.imageferry.transfer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.cloud.ObjectInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.Backend;
import org.imageferry.testsupport.LedgerSchema;
import org.imageferry.testsupport.SwiftBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link ObjectTransfer} from one account's Cloud Files to another's, on the simulated
 * cloud and on a real Swift, with a real ledger: an export of four segments is copied
 * {@code segmentConcurrency} segments at a time, the ledger counts each stored segment,
 * the target manifest reads as the source's, and segments already in the target are not
 * copied again.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class ObjectTransferTests {

	private static final long MIB = 1024 * 1024;

	@Parameter
	Backend backend;

	@TempDir
	Path dir;

	private SwiftBackend swift;

	private HikariDataSource dataSource;

	private Ledger ledger;

	private List<ObjectInfo> segments;

	private String imageId;

	private ImageRecord record;

	private final SegmentCopier copier = new SegmentCopier(3, Duration.ofMillis(1), new SimpleMeterRegistry(),
			BandwidthCap.NONE);

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(8 * MIB);
		this.segments = this.swift.export(30 * MIB);
		this.imageId = this.segments.get(0).name().replaceFirst("\\.vhd-\\d+$", "");
		this.dataSource = LedgerSchema.fileDatabase(this.dir);
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource), Clock.systemUTC());
		this.ledger.recordRun(1, "DFW:alice->IAD:alice",
				new Manifest("sha", List.of(new ManifestEntry(2, this.imageId, null)), List.of(), List.of()), false);
		long row = this.ledger.images(1, ImageState.PENDING).get(0).id();
		this.ledger.updateAll(List.of(Transition.taskCreated(row, TaskKind.EXPORT, "task"),
				Transition.exported(row, "DFW/exports/" + this.imageId + ".vhd", this.ledger.instant())));
		this.record = this.ledger.image(row);
	}

	@AfterEach
	void stop() {
		this.dataSource.close();
		this.swift.close();
	}

	@Test
	void copiesTwoSegmentsAtATimeAndTheLedgerCountsEachStoredOne() {
		// when
		int mostAtOnce = this.swift.mostConcurrentUploads(() -> run(transfer(2)));

		// then
		assertThat(this.segments).hasSize(4);
		assertThat(mostAtOnce).isEqualTo(2);
		assertTargetIsACopy();
		ImageRecord after = this.ledger.image(this.record.id());
		assertThat(after.state()).isEqualTo(ImageState.TRANSFERRED);
		assertThat(after.segments()).isEqualTo(4);
		assertThat(after.segmentsDone()).isEqualTo(4);
		assertThat(after.bytesMoved()).isEqualTo(this.segments.stream().mapToLong(ObjectInfo::bytes).sum());
		assertThat(after.transferStartedAt()).isNotNull();
		assertThat(after.transferEndedAt()).isNotNull();
	}

	@Test
	void oneAtATimeWhenSegmentConcurrencyIsOne() {
		// when
		int mostAtOnce = this.swift.mostConcurrentUploads(() -> run(transfer(1)));

		// then
		assertThat(mostAtOnce).isEqualTo(1);
		assertTargetIsACopy();
	}

	@Test
	void segmentsAlreadyInTheTargetAreNotCopiedAgain() {
		// given: an earlier, interrupted transfer stored the second and fourth segments
		for (int i : new int[] { 1, 3 }) {
			this.copier.copy(this.swift.source(), this.swift.sourceContainer(), this.swift.target(),
					this.swift.targetContainer(), this.segments.get(i));
		}

		// when
		run(transfer(2));

		// then
		assertTargetIsACopy();
		for (int i = 0; i < this.segments.size(); i++) {
			String name = this.segments.get(i).name();
			long puts = this.swift.served()
				.stream()
				.filter((r) -> r.end() == SwiftBackend.End.TARGET && r.method().equals("PUT")
						&& r.object().equals(name))
				.count();
			assertThat(puts).as("PUTs of " + name).isEqualTo(1);
		}
		assertThat(this.ledger.image(this.record.id()).segmentsDone()).isEqualTo(4);
	}

	@Test
	void aSegmentInTheTargetWithOtherBytesIsCopiedAgainAndAStrayOneIsDeleted() {
		// given: an earlier copy of another export left the second segment with other
		// bytes of the same size, and a fifth segment the source does not have
		ObjectInfo second = this.segments.get(1);
		putInTarget(second.name(), new byte[(int) second.bytes()]);
		putInTarget(this.imageId + ".vhd-00005", new byte[10]);

		// when
		run(transfer(2));

		// then
		assertTargetIsACopy();
		assertThat(this.swift.storedMd5(second.name())).isEqualTo(second.etag());
		assertThat(this.ledger.image(this.record.id()).state()).isEqualTo(ImageState.TRANSFERRED);
	}

	private void putInTarget(String name, byte[] bytes) {
		assertThat(this.swift.targetHttp()
			.send("PUT", "/" + this.swift.targetContainer() + "/" + name, bytes, "Content-Type",
					"application/octet-stream")
			.status()).isEqualTo(201);
	}

	/** As the pipeline runs a transfer: its start committed first, then its outcome. */
	private void run(ObjectTransfer transfer) {
		this.ledger.updateAll(List.of(transfer.start(this.record)));
		this.ledger.updateAll(List.of(transfer.transfer(this.record)));
	}

	private ObjectTransfer transfer(int segmentConcurrency) {
		return new ObjectTransfer(this.ledger, this.swift.sourceSide(), this.swift.targetSide(), this.copier, 40L << 30,
				Duration.ofSeconds(5), segmentConcurrency);
	}

	private void assertTargetIsACopy() {
		List<ObjectInfo> copied = this.swift.targetObjects();
		assertThat(copied.stream().filter((o) -> o.name().startsWith(this.imageId + ".vhd-")))
			.extracting(ObjectInfo::name, ObjectInfo::etag)
			.containsExactlyElementsOf(this.segments.stream().map((s) -> tuple(s.name(), s.etag())).toList());
		ObjectInfo manifest = this.swift.source()
			.head(this.swift.sourceContainer(), this.imageId + ".vhd")
			.orElseThrow();
		assertThat(this.swift.target().head(this.swift.targetContainer(), this.imageId + ".vhd"))
			.hasValueSatisfying((o) -> {
				assertThat(o.bytes()).isEqualTo(manifest.bytes());
				assertThat(o.etag()).isEqualTo(manifest.etag());
				assertThat(o.dloManifest()).isEqualTo(this.swift.targetContainer() + "/" + this.imageId + ".vhd-");
			});
	}

}

package org.imageferry.transfer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link ObjectTransfer} against the simulated Cloud Files and a real ledger: an export
 * of four segments is copied {@code segmentConcurrency} segments at a time, the ledger
 * counts each stored segment, the target manifest reads as the source's, and segments
 * already in the target are not copied again.
 */
class ObjectTransferTests {

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	private SimulatedSwift swift;

	private HikariDataSource dataSource;

	private Ledger ledger;

	private List<ObjectInfo> segments;

	private String imageId;

	private ImageRecord record;

	private final SegmentCopier copier = new SegmentCopier(3, Duration.ofMillis(1), new SimpleMeterRegistry());

	@BeforeEach
	void start() throws Exception {
		this.swift = new SimulatedSwift(SimulatorConfig.builder().segmentSize(8 * MIB));
		this.segments = this.swift.export(30 * MIB);
		this.imageId = this.segments.get(0).name().replaceFirst("\\.vhd-\\d+$", "");
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl("jdbc:h2:file:" + this.dir.toAbsolutePath().resolve("ledger"));
		this.dataSource.setUsername("sa");
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource), Clock.systemUTC());
		this.ledger.recordRun(1, "DFW:alice->IAD:alice",
				new Manifest("sha", List.of(new ManifestEntry(2, this.imageId, null)), List.of(), List.of()), false);
		long row = this.ledger.images(1, ImageState.PENDING).get(0).id();
		this.ledger.update(row, ImageState.EXPORTED, Map.of("EXPORT_TASK_ID", "task"));
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
		int mostAtOnce = whileWatchingUploads(() -> run(transfer(2)));

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
		int mostAtOnce = whileWatchingUploads(() -> run(transfer(1)));

		// then
		assertThat(mostAtOnce).isEqualTo(1);
		assertTargetIsACopy();
	}

	@Test
	void segmentsAlreadyInTheTargetAreNotCopiedAgain() {
		// given: an earlier, interrupted transfer stored the second and fourth segments
		for (int i : new int[] { 1, 3 }) {
			this.copier.copy(this.swift.dfw, "exports", this.swift.iad, "imports", this.segments.get(i));
		}

		// when
		run(transfer(2));

		// then
		assertTargetIsACopy();
		for (int i = 0; i < this.segments.size(); i++) {
			String name = this.segments.get(i).name();
			long puts = this.swift.inspect()
				.requests()
				.stream()
				.filter((r) -> r.method().equals("PUT") && r.region().equals("IAD") && r.path().endsWith("/" + name))
				.count();
			assertThat(puts).as("PUTs of " + name).isEqualTo(1);
		}
		assertThat(this.ledger.image(this.record.id()).segmentsDone()).isEqualTo(4);
	}

	/** As the pipeline runs a transfer: its start committed first, then its outcome. */
	private void run(ObjectTransfer transfer) {
		this.ledger.updateAll(List.of(transfer.start(this.record)));
		this.ledger.updateAll(List.of(transfer.transfer(this.record)));
	}

	private ObjectTransfer transfer(int segmentConcurrency) {
		Side source = new Side("DFW", this.swift.session, null, this.swift.dfw, "exports");
		Side target = new Side("IAD", this.swift.session, null, this.swift.iad, "imports");
		return new ObjectTransfer(this.ledger, source, target, this.copier, 40L << 30, Duration.ofSeconds(5),
				segmentConcurrency);
	}

	/** Runs {@code work}, returning the most segment uploads seen in progress at once. */
	private int whileWatchingUploads(Runnable work) {
		Inspection inspection = this.swift.inspect();
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger most = new AtomicInteger();
		CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
			while (!done.get()) {
				Set<String> uploading = inspection.uploadsInProgress();
				most.accumulateAndGet((int) uploading.stream().filter((o) -> o.contains("/imports/")).count(),
						Math::max);
				LockSupport.parkNanos(100_000);
			}
		});
		try {
			work.run();
		}
		finally {
			done.set(true);
			watcher.join();
		}
		return most.get();
	}

	private void assertTargetIsACopy() {
		List<Inspection.ObjectView> copied = this.swift.imported();
		assertThat(copied.stream().filter((o) -> o.name().startsWith(this.imageId + ".vhd-")))
			.extracting(Inspection.ObjectView::name, Inspection.ObjectView::etag)
			.containsExactlyElementsOf(this.segments.stream().map((s) -> tuple(s.name(), s.etag())).toList());
		ObjectInfo manifest = this.swift.dfw.head("exports", this.imageId + ".vhd").orElseThrow();
		assertThat(this.swift.iad.head("imports", this.imageId + ".vhd")).hasValueSatisfying((o) -> {
			assertThat(o.bytes()).isEqualTo(manifest.bytes());
			assertThat(o.etag()).isEqualTo(manifest.etag());
		});
	}

}

package org.imageferry.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.LedgerDatabase;
import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases on the ledger's rows, on H2: what workers on several hosts share the copies by.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LeasesTests {

	@Parameter
	LedgerDatabase database;

	private static final long RUN = 1;

	private static final Duration LEASE = Duration.ofMinutes(2);

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-01T02:00:00Z"));

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	private Ledger ledger;

	private Leases leases;

	@BeforeEach
	void open() {
		this.dataSource = this.database.create(this.dir).pool();
		this.dataSource.setMaximumPoolSize(12);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(this.dataSource);
		this.ledger = new Ledger(this.dataSource, transactions, this.clock);
		this.leases = new Leases(this.dataSource, transactions, this.ledger, this.clock);
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void twoClaimersAtTheSameMomentNeverGetTheSameRow() throws Exception {
		// given: 40 exported images, two workers claiming 3 at a time until none is left
		List<Long> rows = exported(40);
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		List<Future<List<Long>>> claims = new ArrayList<>();

		// when
		for (String worker : List.of("w1", "w2")) {
			claims.add(threads.submit(() -> {
				List<Long> mine = new ArrayList<>();
				start.await();
				List<ImageRecord> claimed;
				while (!(claimed = this.leases.claim(RUN, worker, 3, later(LEASE))).isEmpty()) {
					claimed.forEach((row) -> mine.add(row.id()));
				}
				return mine;
			}));
		}
		start.countDown();
		List<Long> first = claims.get(0).get();
		List<Long> second = claims.get(1).get();
		threads.shutdown();

		// then: each row claimed once, by one of them, and marked as theirs
		assertThat(Collections.disjoint(first, second)).as("w1 %s, w2 %s", first, second).isTrue();
		Set<Long> all = new HashSet<>(first);
		all.addAll(second);
		assertThat(all).containsExactlyInAnyOrderElementsOf(rows);
		assertThat(first.size() + second.size()).isEqualTo(rows.size());
		assertThat(this.ledger.image(first.get(0)).state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(this.ledger.image(first.get(0)).transferWorker()).isEqualTo("w1");
		assertThat(this.leases.held(RUN)).hasSize(rows.size());
	}

	@Test
	void anExpiredLeaseIsClaimableAndTheCopyResumesWhereItWas() {
		// given: w1 claimed an image, copied two of its five segments and died
		long row = exported(1).get(0);
		this.leases.claim(RUN, "w1", 1, later(LEASE));
		this.ledger.update(Transition.transferProgress(row, 5, 2, 2048));
		Instant started = this.ledger.image(row).transferStartedAt();
		assertThat(this.leases.claim(RUN, "w2", 1, later(LEASE))).as("held by w1").isEmpty();

		// when
		this.clock.advance(LEASE.plusSeconds(1));
		List<ImageRecord> claimed = this.leases.claim(RUN, "w2", 1, later(LEASE));

		// then
		assertThat(claimed).singleElement().satisfies((image) -> {
			assertThat(image.id()).isEqualTo(row);
			assertThat(image.segmentsDone()).isEqualTo(2);
			assertThat(image.transferStartedAt()).isEqualTo(started);
		});
		assertThat(this.leases.held(RUN)).singleElement()
			.satisfies((lease) -> assertThat(lease.worker()).isEqualTo("w2"));
	}

	@Test
	void renewAndEndFailForALeaseSomeoneElseTookOver() {
		// given: w1's lease expired and w2 claimed the image
		List<Long> two = exported(2);
		long row = two.get(0);
		long other = two.get(1);
		this.leases.claim(RUN, "w1", 2, later(LEASE));
		this.clock.advance(LEASE.plusSeconds(1));
		this.leases.renew("w1", List.of(other), later(LEASE));
		assertThat(this.leases.claim(RUN, "w2", 2, later(LEASE))).extracting(ImageRecord::id).containsExactly(row);

		// when
		List<Long> stillMine = this.leases.renew("w1", List.of(row, other), later(LEASE));
		boolean recorded = this.leases.end("w1", Transition.transferred(row, 1, 1024, this.clock.instant()));

		// then: w1 keeps only the lease it renewed in time, and cannot end w2's copy
		assertThat(stillMine).containsExactly(other);
		assertThat(recorded).isFalse();
		assertThat(this.ledger.image(row).state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(this.leases.held(RUN)).extracting(Leases.Lease::worker).containsExactly("w2", "w1");
	}

	@Test
	void aCopysEndIsRecordedWithItsLeaseGivenUpAndTheWorkerKept() {
		// given
		long row = exported(1).get(0);
		this.leases.claim(RUN, "w1", 1, later(LEASE));

		// when
		boolean recorded = this.leases.end("w1", Transition.transferred(row, 1, 1024, this.clock.instant()));

		// then
		assertThat(recorded).isTrue();
		assertThat(this.ledger.image(row).state()).isEqualTo(ImageState.TRANSFERRED);
		assertThat(this.leases.held(RUN)).isEmpty();
		assertThat(this.ledger.image(row).transferWorker()).as("read with the row, for status and reports")
			.isEqualTo("w1");
		assertThat(this.leases.claim(RUN, "w2", 1, later(LEASE))).as("transferred: nothing to copy").isEmpty();
	}

	@Test
	void aCleanStopReleasesEveryLeaseOfTheWorkerForTheNextClaim() {
		// given
		exported(3);
		this.leases.claim(RUN, "w1", 2, later(LEASE));
		this.leases.claim(RUN, "w2", 1, later(LEASE));

		// when
		int released = this.leases.releaseAll("w1");

		// then
		assertThat(released).isEqualTo(2);
		assertThat(this.leases.held(RUN)).extracting(Leases.Lease::worker).containsExactly("w2");
		assertThat(this.leases.claim(RUN, "w3", 5, later(LEASE))).hasSize(2);
	}

	/** Records images in the run, each exported; answers their rows. */
	private List<Long> exported(int count) {
		List<ManifestEntry> entries = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			entries.add(new ManifestEntry(i + 2, UUID.randomUUID().toString(), null));
		}
		this.ledger.recordRun(RUN, "DFW:alice->IAD:alice", new Manifest("sha", entries, List.of(), List.of()), false);
		List<Long> rows = new ArrayList<>();
		for (ManifestEntry entry : entries) {
			ImageRecord row = this.ledger.images(RUN, ImageState.PENDING).get(0);
			this.ledger
				.update(Transition.exported(row.id(), "exports/" + entry.imageId() + ".vhd", this.clock.instant()));
			rows.add(row.id());
		}
		return rows;
	}

	private Instant later(Duration lease) {
		return this.clock.instant().plus(lease);
	}

}

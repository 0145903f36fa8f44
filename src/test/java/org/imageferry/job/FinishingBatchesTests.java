package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Finishing, as the pump runs it: imported images handed over in batches (four per
 * {@code api-concurrency}) to a thread of their own, so the cycles go on while a batch's
 * PATCHes are under way; the cycle that sees a batch end records it. An outage in the
 * middle of a batch leaves what it stopped imported, for a later cycle, and fails the
 * step once the rest is recorded.
 */
class FinishingBatchesTests {

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		this.rig.close();
	}

	/** Images of the run, imported; with {@code api-concurrency} 1, batches of four. */
	private String[] imported(int count) throws Exception {
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(), Map.of("api-concurrency", "1"));
		String[] ids = new String[count];
		for (int i = 0; i < count; i++) {
			ids[i] = this.rig.cloud().seed("image-" + i);
		}
		this.rig.ready(ids);
		for (String id : ids) {
			this.rig.imported(id);
		}
		return ids;
	}

	@Test
	void importedImagesAreFinishedInBatchesOnTheirOwnThread() throws Exception {
		// given: six imported images; the answers to any thread but the cycles' are
		// held back
		String[] ids = imported(6);
		Thread cycles = Thread.currentThread();
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.rig.onAnswer(new CloudObserver() {

			@Override
			public void answered(String region, String service, int status) {
				if (Thread.currentThread() != cycles) {
					held.countDown();
					await(release);
				}
			}

		});
		MigrationPump pump = this.rig.pump();

		// when
		RepeatStatus first = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> this.rig.cycle(pump));

		// then: the cycle did not wait for the batch it handed over, which is under way
		assertThat(first).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.rig.rows(ImageState.IMPORTED)).hasSize(6);

		// and when: the batch goes on, and the cycle that sees it end records it
		release.countDown();
		this.rig.nextCycle(pump);

		// then: four at once, the first in manifest order; then the other two
		assertThat(this.rig.rows(ImageState.MIGRATED)).extracting(ImageRecord::sourceImageId)
			.containsExactly(Arrays.copyOf(ids, 4));
		assertThat(this.rig.rows(ImageState.IMPORTED)).hasSize(2);
		assertThat(this.rig.nextCycle(pump)).isEqualTo(RepeatStatus.FINISHED);
		List<ImageRecord> migrated = this.rig.rows(ImageState.MIGRATED);
		assertThat(migrated).hasSize(6).allSatisfy((row) -> {
			assertThat(this.rig.cloud().provenanceOf(row.targetImageId())).isEqualTo("DFW:" + row.sourceImageId());
			assertThat(row.finishedAt()).isEqualTo(this.rig.now());
		});
	}

	@Test
	void anOutageDuringFinishingLeavesTheRestImportedAndFailsTheStepAfterRecordingTheOthers() throws Exception {
		// given: the cloud goes down once the first image's metadata is copied
		String[] ids = imported(3);
		AtomicBoolean down = new AtomicBoolean();
		this.rig.onAnswer(new CloudObserver() {

			@Override
			public void answered(String region, String service, int status) {
				if (region.equals(ScriptedCloud.TARGET) && service.equals("image") && down.compareAndSet(false, true)) {
					FinishingBatchesTests.this.rig.cloud().outage();
				}
			}

		});
		MigrationPump pump = this.rig.pump();

		// when
		assertThatThrownBy(() -> this.rig.run(pump)).isInstanceOf(CloudException.class)
			.satisfies((ex) -> assertThat(((CloudException) ex).status()).isEqualTo(503));

		// then: the first recorded, the others left for a later cycle
		assertThat(this.rig.row(ids[0]).state()).isEqualTo(ImageState.MIGRATED);
		assertThat(this.rig.cloud().provenanceOf(this.rig.row(ids[0]).targetImageId())).isEqualTo("DFW:" + ids[0]);
		for (String id : List.of(ids[1], ids[2])) {
			assertThat(this.rig.row(id).state()).isEqualTo(ImageState.IMPORTED);
			assertThat(this.rig.cloud().provenanceOf(this.rig.row(id).targetImageId())).isNull();
		}

		// and when: the outage is over and the step restarts
		this.rig.cloud().outageOver();
		MigrationPump restarted = this.rig.pump();

		// then
		assertThat(this.rig.run(restarted)).isEqualTo(RepeatStatus.FINISHED);
		assertThat(this.rig.rows(ImageState.MIGRATED)).hasSize(3);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

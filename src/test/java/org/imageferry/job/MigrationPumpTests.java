package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.simulator.Inspection.RequestView;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * One {@link MigrationPump} cycle at a time, against the simulated cloud with a clock the
 * test moves: the order of a cycle's stages (each runs when what feeds it may have
 * changed, in the same cycle), the pace of the task listings, what
 * {@link MigrationPump#pause()} waits for, and a stopped pump.
 */
class MigrationPumpTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	private HeartRig rig;

	private HeartRig rig(SimulatorConfig.Builder cloud, Map<String, String> profile) throws Exception {
		this.rig = new HeartRig(this.dir, cloud, profile);
		return this.rig;
	}

	@AfterEach
	void close() throws Exception {
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void aCycleListsTheExportsBeforeStartingExportsSoASlotFreedByThePollIsRefilledAtOnce() throws Exception {
		// given: room for one export; a's has ended in the cloud, b waits for its slot
		HeartRig rig = rig(ScriptedCloud.quickTasks(),
				Map.of("tasks-in-flight-per-region", "1", "poll-interval", "30s"));
		String a = rig.cloud().seed("a");
		String b = rig.cloud().seed("b");
		rig.ready(a, b);
		MigrationPump pump = rig.pump();
		rig.cycle(pump);
		assertThat(rig.cloud().taskPosts("DFW")).hasSize(1);
		rig.cloud().awaitTasksEnded();
		rig.advance(POLL);
		int before = rig.cloud().requests(0).size();

		// when
		rig.cycle(pump);

		// then
		List<RequestView> cycle = rig.cloud().requests(before);
		int listing = indexOf(cycle, "GET", "DFW");
		int post = indexOf(cycle, "POST", "DFW");
		assertThat(listing).as("the export listing of this cycle").isNotNegative();
		assertThat(post).as("b's export POST, after the listing that freed its slot").isGreaterThan(listing);
		assertThat(rig.row(a).exportEndedAt()).isEqualTo(rig.now());
		assertThat(rig.row(b).state()).isEqualTo(ImageState.EXPORTING);
		assertThat(rig.row(b).exportTaskId()).isNotNull();
	}

	@Test
	void importsStartInTheCycleATransferEndsAndFinishingInTheCycleAnImportPollEnds() throws Exception {
		// given: a's export ended and its transfer started in the same cycle
		HeartRig rig = rig(ScriptedCloud.quickTasks(), Map.of("poll-interval", "30s"));
		String a = rig.cloud().seed("a");
		rig.ready(a);
		MigrationPump pump = rig.pump();
		rig.cycle(pump);
		rig.cloud().awaitTasksEnded();
		rig.advance(POLL);
		rig.cycle(pump);
		assertThat(rig.row(a).state()).isIn(ImageState.TRANSFERRING, ImageState.TRANSFERRED);
		int listings = rig.cloud().taskListings("DFW").size() + rig.cloud().taskListings("IAD").size();

		// when: the pause ends with the transfer, the clock still, so no poll falls due
		rig.nextCycle(pump);

		// then: the cycle that saw the transfer end started the import
		ImageRecord importing = rig.row(a);
		assertThat(importing.state()).isEqualTo(ImageState.IMPORTING);
		assertThat(importing.importTaskId()).isNotNull();
		assertThat(rig.cloud().taskPosts("IAD")).hasSize(1);
		assertThat(rig.cloud().taskListings("DFW").size() + rig.cloud().taskListings("IAD").size()).isEqualTo(listings);

		// and when: the import ended and its poll is due
		rig.cloud().awaitTasksEnded();
		rig.advance(POLL);
		rig.cycle(pump);

		// then: the poll's cycle handed the image to finishing, which copies its metadata
		// on its own (the next cycle records it)
		String target = rig.row(a).targetImageId();
		assertThat(rig.row(a).state()).isEqualTo(ImageState.IMPORTED);
		RepeatStatus last = rig.nextCycle(pump);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.MIGRATED);
		assertThat(rig.cloud().provenanceOf(target)).isEqualTo("DFW:" + a);
		assertThat(rig.cloud().requests(0)).filteredOn((r) -> r.method().equals("PATCH"))
			.singleElement()
			.satisfies((patch) -> assertThat(patch.path()).endsWith("/images/" + target));
		assertThat(last).isEqualTo(RepeatStatus.FINISHED);
	}

	@Test
	void whileCopiesRunAnImportWaitsUpToASecondForAWaveOfHalfTheRoom() throws Exception {
		// given: room for four imports; a small image, and a large one whose copy takes
		// seconds over the cloud's 4 MiB/s link
		HeartRig rig = rig(ScriptedCloud.quickTasks().hostBandwidth(4 * MIB),
				Map.of("tasks-in-flight-per-region", "4", "transfer-concurrency", "2", "poll-interval", "30s"));
		String small = rig.cloud().seed("small");
		String large = rig.cloud().seed("large", 48 * MIB, Map.of());
		rig.ready(small, large);
		MigrationPump pump = rig.pump();
		rig.cycle(pump);
		rig.cloud().awaitTasksEnded();
		rig.advance(POLL);
		rig.cycle(pump);
		assertThat(rig.rows(ImageState.TRANSFERRING)).hasSize(2);

		// when: the small one's copy ends while the large one's runs
		rig.nextCycle(pump);

		// then: its import waits for others to share its wave's write
		assertThat(rig.row(small).state()).isEqualTo(ImageState.TRANSFERRED);
		assertThat(rig.row(large).state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(rig.cloud().taskPosts("IAD")).isEmpty();

		// and when: a second has passed, the large copy still running
		rig.advance(MigrationPump.WAVE_WAIT);
		assertTimeoutPreemptively(Duration.ofSeconds(1), pump::pause, "the wave's wait ends the pause");
		rig.cycle(pump);

		// then: it starts alone
		assertThat(rig.row(small).state()).isEqualTo(ImageState.IMPORTING);
		assertThat(rig.row(large).state()).isEqualTo(ImageState.TRANSFERRING);
		assertThat(rig.cloud().taskPosts("IAD")).hasSize(1);
	}

	@Test
	void aRegionIsListedNoSoonerThanAPollIntervalAfterItsLastListing() throws Exception {
		// given: an export in flight, cycles every 10 s
		HeartRig rig = rig(ScriptedCloud.slowTasks(), Map.of("poll-interval", "30s"));
		String a = rig.cloud().seed("a");
		rig.ready(a);
		MigrationPump pump = rig.pump();
		Instant start = rig.now();

		// when: three minutes of cycles
		for (int i = 0; i <= 18; i++) {
			rig.cycle(pump);
			rig.advance(Duration.ofSeconds(10));
		}

		// then: one listing per poll interval, at its pace, each counted
		List<Instant> listed = rig.cloud().taskListings("DFW").stream().map(RequestView::at).toList();
		assertThat(listed).hasSize(6);
		for (int i = 1; i < listed.size(); i++) {
			assertThat(Duration.between(listed.get(i - 1), listed.get(i))).isGreaterThanOrEqualTo(POLL);
		}
		assertThat(listed.get(0)).isEqualTo(start.plus(POLL));
		assertThat(rig.meters().get("image.ferry.task.polls").tag("region", "DFW").counter().count()).isEqualTo(6);
		assertThat(rig.cloud().taskListings("IAD")).as("no import in flight, nothing to list").isEmpty();
	}

	@Test
	void pauseWaitsUntilTheNextPollIsDue() throws Exception {
		// given: a cycle at t0, a poll interval of 30 s
		HeartRig rig = rig(ScriptedCloud.slowTasks(), Map.of("poll-interval", "30s"));
		rig.ready(rig.cloud().seed("a"));
		MigrationPump pump = rig.pump();
		Instant t0 = rig.now();
		rig.cycle(pump);

		// when: one second before the poll is due
		rig.set(t0.plus(POLL).minusSeconds(1));
		long began = System.nanoTime();
		pump.pause();
		Duration waited = Duration.ofNanos(System.nanoTime() - began);

		// then
		assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));

		// and when it is due, it does not wait
		rig.set(t0.plus(POLL));
		began = System.nanoTime();
		pump.pause();
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(500));
	}

	@Test
	void pauseEndsWhenATransferEndsLongBeforeThePollIsDue() throws Exception {
		// given: a's transfer started; the next poll 10 minutes away
		HeartRig rig = rig(ScriptedCloud.quickTasks(), Map.of("poll-interval", "10m"));
		String a = rig.cloud().seed("a");
		rig.ready(a);
		MigrationPump pump = rig.pump();
		rig.cycle(pump);
		rig.cloud().awaitTasksEnded();
		rig.advance(Duration.ofMinutes(10));
		rig.cycle(pump);
		assertThat(rig.row(a).state()).isEqualTo(ImageState.TRANSFERRING);

		// when
		assertTimeoutPreemptively(Duration.ofSeconds(20), pump::pause);

		// then: the transfer had ended (its manifest is in the target) when it woke
		assertThat(rig.cloud().targetObjects()).anySatisfy((o) -> {
			assertThat(o.name()).isEqualTo(a + ".vhd");
			assertThat(o.dloManifest()).isNotNull();
		});
	}

	@Test
	void aStoppedPumpStartsNothing() throws Exception {
		// given
		HeartRig rig = rig(ScriptedCloud.slowTasks(), Map.of());
		String a = rig.cloud().seed("a");
		rig.ready(a);
		MigrationPump pump = rig.pump();

		// when
		pump.stop();
		RepeatStatus status = rig.cycle(pump);

		// then: the step goes on only to notice it is stopped
		assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(rig.cloud().taskPosts("DFW")).isEmpty();
		assertThat(rig.row(a).state()).isEqualTo(ImageState.READY);
	}

	/** Where the first task request of this method to this region is, or -1. */
	private static int indexOf(List<RequestView> requests, String method, String region) {
		for (int i = 0; i < requests.size(); i++) {
			RequestView r = requests.get(i);
			if (r.method().equals(method) && r.region().equals(region) && r.path().endsWith("/v2/tasks")) {
				return i;
			}
		}
		return -1;
	}

}

package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.simulator.Inspection.ObjectView;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link MigrationPump} with three targets, over the simulated cloud: one export per
 * image whatever the number of targets, a transfer, import and finishing per target, and
 * the source's export deleted only once the last target is done with it.
 */
class MigrationPumpTargetsTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	private static final List<String> TARGETS = List.of("IAD", "ORD", "SYD");

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		if (this.rig != null) {
			this.rig.close();
		}
	}

	private HeartRig threeTargets() throws Exception {
		this.rig = new HeartRig(this.dir, ScriptedCloud.quickTasks().regions(List.of("DFW", "IAD", "ORD", "SYD")),
				Map.of("poll-interval", "30s", "targets[0].region", "IAD", "targets[1].region", "ORD",
						"targets[2].region", "SYD"));
		return this.rig;
	}

	@Test
	void eachImageIsExportedOnceAndImportedIntoEveryTarget() throws Exception {
		// given
		HeartRig rig = threeTargets();
		String a = rig.cloud().seed("a");
		String b = rig.cloud().seed("b");
		rig.ready(a, b);

		// when
		runToTheEnd(rig, rig.pump());

		// then: one export task per image, two imports per target region, six rows
		// migrated, each to an image of its own
		assertThat(rig.cloud().exportsOf(a)).hasSize(1);
		assertThat(rig.cloud().exportsOf(b)).hasSize(1);
		assertThat(rig.cloud().taskPosts("DFW")).hasSize(2);
		for (String region : TARGETS) {
			assertThat(rig.cloud().taskPosts(region)).as("import POSTs in " + region).hasSize(2);
			for (String image : List.of(a, b)) {
				ImageRecord row = rig.row(image, region.toLowerCase());
				assertThat(row.state()).isEqualTo(ImageState.MIGRATED);
				assertThat(rig.cloud().provenanceOf(row.targetImageId())).isEqualTo("DFW:" + image);
			}
		}
		assertThat(TARGETS.stream()
			.flatMap((t) -> List.of(a, b).stream().map((i) -> rig.row(i, t.toLowerCase())))
			.map(ImageRecord::targetImageId)
			.distinct()).hasSize(6);
		assertThat(rig.row(a, "iad").exportTaskId()).isEqualTo(rig.row(a, "syd").exportTaskId());
		assertThat(exportObjects(rig)).as("the source's exports, deleted after the last target").isEmpty();
	}

	@Test
	void theSourcesExportStaysUntilTheLastTargetIsMigrated() throws Exception {
		// given: a's import into ORD fails
		HeartRig rig = threeTargets();
		String a = rig.cloud().seed("a");
		rig.ready(a);
		rig.cloud().importsFailIn("ORD", a);

		// when
		runToTheEnd(rig, rig.pump());

		// then: the other targets migrated it; its export stays for ORD's next run
		assertThat(rig.row(a, "iad").state()).isEqualTo(ImageState.MIGRATED);
		assertThat(rig.row(a, "syd").state()).isEqualTo(ImageState.MIGRATED);
		assertThat(rig.row(a, "ord").state()).isEqualTo(ImageState.FAILED);
		assertThat(rig.row(a, "ord").failureCode()).isEqualTo("396");
		assertThat(exportObjects(rig)).extracting(ObjectView::name).contains(a + ".vhd");
		assertThat(rig.cloud().objects("IAD")).as("a migrated target's copy is deleted").isEmpty();

		// and when: ORD's import is tried again (as a later run does) and succeeds
		rig.cloud().outageOver();
		rig.record(a);
		rig.preflight(false);
		assertThat(rig.row(a, "iad").state()).as("already migrated there").isEqualTo(ImageState.MIGRATED);
		runToTheEnd(rig, rig.pump());

		// then: the export an earlier run left was adopted, not made again, and is
		// deleted by the last target's finishing
		assertThat(rig.row(a, "ord").state()).isEqualTo(ImageState.MIGRATED);
		assertThat(rig.cloud().exportsOf(a)).hasSize(1);
		assertThat(exportObjects(rig)).isEmpty();
	}

	@Test
	void theImagesRowsShareTheExportsStatesAndAskOnceForIt() throws Exception {
		// given: exports that do not end
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks().regions(List.of("DFW", "IAD", "ORD", "SYD")),
				Map.of("poll-interval", "30s", "targets[0].region", "IAD", "targets[1].region", "ORD",
						"targets[2].region", "SYD"));
		String a = this.rig.cloud().seed("a");
		String b = this.rig.cloud().seed("b");
		this.rig.ready(a, b);

		// when
		this.rig.cycle(this.rig.pump());

		// then: every row of each image is exporting with the image's one task, and the
		// pipeline sees two exports in flight, not six
		for (String image : List.of(a, b)) {
			String task = this.rig.cloud().exportsOf(image).get(0).id();
			for (String target : List.of("iad", "ord", "syd")) {
				assertThat(this.rig.row(image, target).state()).isEqualTo(ImageState.EXPORTING);
				assertThat(this.rig.row(image, target).exportTaskId()).isEqualTo(task);
			}
		}
		assertThat(this.rig.ledger().count(HeartRig.RUN, ImageState.EXPORTING)).isEqualTo(2);
		assertThat(this.rig.rows(ImageState.EXPORTING)).extracting(ImageRecord::sourceImageId).containsExactly(a, b);
		assertThat(this.rig.meters().get("image.ferry.tasks.in.flight").tag("region", "DFW").gauge().value())
			.isEqualTo(2);
	}

	@Test
	void anExportACrashedProcessPostedIsAdoptedForEveryTarget() throws Exception {
		// given: the intent committed, the task created, its id never recorded
		HeartRig rig = threeTargets();
		String a = rig.cloud().seed("a");
		rig.ready(a);
		rig.exportIntent(a);
		String task = rig.exportPostedByCrashedProcess(a);

		// when: the restarted step
		runToTheEnd(rig, rig.pump());

		// then: every target migrated it from that one export
		assertThat(rig.cloud().exportsOf(a)).extracting((t) -> t.id()).containsExactly(task);
		for (String target : List.of("iad", "ord", "syd")) {
			assertThat(rig.row(a, target).state()).isEqualTo(ImageState.MIGRATED);
			assertThat(rig.row(a, target).exportTaskId()).isEqualTo(task);
		}
		assertThat(exportObjects(rig)).isEmpty();
	}

	/** alice's objects in the source container. */
	private static List<ObjectView> exportObjects(HeartRig rig) {
		return rig.cloud().objects("DFW").stream().filter((o) -> o.container().equals("image-ferry")).toList();
	}

	/**
	 * Cycles the pump, moving the clock a poll interval whenever the cloud's tasks have
	 * ended, until the step finishes; fails after 30 s.
	 */
	private static void runToTheEnd(HeartRig rig, MigrationPump pump) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (rig.cycle(pump) != RepeatStatus.FINISHED) {
			assertThat(System.nanoTime()).as("the step finished in 30 s").isLessThan(deadline);
			rig.cloud().awaitTasksEnded();
			Thread.sleep(20);
			rig.advance(POLL);
		}
	}

}

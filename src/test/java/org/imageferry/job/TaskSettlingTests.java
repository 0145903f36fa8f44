package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.await.TaskWatcher;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the pump's task watchers settle what no answer settled: an intent whose task was
 * created but whose id was never recorded (adopted from the listing, never created
 * twice), an intent whose task never appears (started again after two poll intervals),
 * and a task that outlives the deadline.
 */
class TaskSettlingTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		this.rig.close();
	}

	@Test
	void anIntentWhoseTaskExistsIsAdoptedFromTheListingAndNotPostedAgain() throws Exception {
		// given: a crashed process committed a's intent and made its POST, but never
		// recorded the task's id
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(), Map.of("poll-interval", "30s"));
		String a = this.rig.cloud().seed("a");
		this.rig.ready(a);
		this.rig.exportIntent(a);
		String task = this.rig.exportPostedByCrashedProcess(a);
		MigrationPump pump = this.rig.pump();

		// when: the restarted pump cycles past two poll intervals
		for (int i = 0; i < 4; i++) {
			this.rig.cycle(pump);
			this.rig.advance(POLL.plusSeconds(1));
		}

		// then
		ImageRecord row = this.rig.row(a);
		assertThat(row.state()).isEqualTo(ImageState.EXPORTING);
		assertThat(row.exportTaskId()).isEqualTo(task);
		assertThat(this.rig.cloud().exportsOf(a)).hasSize(1);
		assertThat(this.rig.cloud().taskPosts("DFW")).as("the crashed process's POST only").hasSize(1);
	}

	@Test
	void anIntentWhoseTaskNeverAppearsGoesBackToReadyAfterTwoPollIntervals() throws Exception {
		// given: an intent whose POST was never made
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(), Map.of("poll-interval", "30s"));
		String a = this.rig.cloud().seed("a");
		this.rig.ready(a);
		this.rig.exportIntent(a);
		TaskWatcher watcher = this.rig.exportWatcher();

		// when: polled one interval on
		this.rig.advance(POLL.plusSeconds(1));
		watcher.poll(this.rig.rows(ImageState.EXPORTING));

		// then: the listing may not show the task yet
		assertThat(this.rig.row(a).state()).isEqualTo(ImageState.EXPORTING);

		// and when: polled past two intervals
		this.rig.advance(POLL);
		watcher.poll(this.rig.rows(ImageState.EXPORTING));

		// then: back to be started again
		ImageRecord row = this.rig.row(a);
		assertThat(row.state()).isEqualTo(ImageState.READY);
		assertThat(row.exportRequestedAt()).isNull();
		assertThat(this.rig.cloud().taskListings("DFW")).hasSize(2);
		assertThat(this.rig.cloud().exportsOf(a)).isEmpty();
	}

	@Test
	void aTaskStillRunningAfterTheDeadlineFailsItsImageWithTimeout() throws Exception {
		// given: a's export, started at t0, does not end
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(),
				Map.of("poll-interval", "10m", "task-deadline", "1h"));
		String a = this.rig.cloud().seed("a");
		this.rig.ready(a);
		MigrationPump pump = this.rig.pump();
		this.rig.cycle(pump);
		String task = this.rig.row(a).exportTaskId();

		// when: polled a minute before the deadline
		this.rig.advance(Duration.ofMinutes(59));
		this.rig.cycle(pump);

		// then
		assertThat(this.rig.row(a).state()).isEqualTo(ImageState.EXPORTING);

		// and when: polled past it, at the next poll
		this.rig.advance(Duration.ofMinutes(10));
		this.rig.cycle(pump);

		// then
		ImageRecord row = this.rig.row(a);
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("TIMEOUT");
		assertThat(row.failureMessage()).contains(task, "PT1H");
		assertThat(row.finishedAt()).isEqualTo(this.rig.now());
		assertThat(this.rig.cloud().exportsOf(a)).singleElement()
			.satisfies((t) -> assertThat(t.status()).isIn("pending", "processing"));
	}

}

package org.imageferry.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.cloud.AccountSession;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.Credentials;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.export.ExportTasks;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;
import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.LedgerSchema;

import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a {@link TaskWatcher}'s next poll is due, against the simulated cloud with an
 * injected clock that each answer of the cloud moves 5 s on: a poll interval after the
 * region's last listing <em>ended</em>, and, for a restarted step in a new process, after
 * the listing the step it restarts saved.
 */
class TaskWatcherTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	private static final Duration ANSWER = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	private final SteppedClock clock = new SteppedClock(Instant.now());

	private SimulatedCloud cloud;

	private HikariDataSource dataSource;

	private Ledger ledger;

	private Workers workers;

	@BeforeEach
	void start() throws IOException {
		this.cloud = SimulatedCloud
			.start(SimulatorConfig.builder().taskLatency(Duration.ofHours(1), Duration.ofHours(1)).build());
		this.dataSource = LedgerSchema.fileDatabase(this.dir);
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource), this.clock);
		this.workers = new Workers(2, "test");
	}

	@AfterEach
	void stop() {
		this.workers.close();
		this.dataSource.close();
		this.cloud.close();
	}

	/**
	 * DFW of alice's account as a new process sees it: its own session and clients, whose
	 * answers each move the clock on.
	 */
	private Side dfw() {
		Retries retries = new Retries(0, Duration.ofMillis(1), Duration.ofMillis(1), new CloudObserver() {

			@Override
			public void answered(String region, String service, int status) {
				TaskWatcherTests.this.clock.advance(ANSWER);
			}

		});
		AccountSession session = new AccountSession(this.cloud.identityUrl(), new Credentials("alice", "alice-api-key"),
				Duration.ofSeconds(10), HttpClient.newHttpClient().sslContext(), retries, this.clock);
		return new Side("DFW", session, new ImagesClient(session, "DFW", retries), null, "exports");
	}

	private TaskWatcher watcher(Side side) {
		return new TaskWatcher(this.ledger, new ExportTasks(this.ledger, side), side, Duration.ofHours(6), POLL,
				this.workers, new SimpleMeterRegistry());
	}

	/** One image of run 1 whose export is in flight in DFW. */
	private void exportInFlight(Side side) {
		String imageId = this.cloud
			.addImage(ImageSeed.of("DFW", "100001", "watched", SyntheticVhd.fixed(1024 * 1024, 1)));
		this.ledger.recordRun(1, "DFW:alice>IAD:alice",
				new Manifest("sha", List.of(new ManifestEntry(2, imageId, null)), List.of(), List.of()), false);
		long row = this.ledger.images(1, ImageState.PENDING).get(0).id();
		String taskId = side.images().createExport(imageId, "exports").id();
		this.ledger.updateAll(List.of(Transition.taskRequested(row, TaskKind.EXPORT, this.ledger.instant()),
				Transition.taskCreated(row, TaskKind.EXPORT, taskId)));
	}

	@Test
	void aPollIsDueAPollIntervalAfterTheListingEndedNotWhenItBegan() {
		// given
		Side dfw = dfw();
		exportInFlight(dfw);
		TaskWatcher watcher = watcher(dfw);
		assertThat(watcher.isDue()).isTrue();
		Instant began = this.clock.instant();

		// when: the listing takes one answer, 5 s by this clock
		watcher.poll(this.ledger.images(1, ImageState.EXPORTING));

		// then
		Instant ended = dfw.images().lastTaskListing().orElseThrow();
		assertThat(ended).isEqualTo(began.plus(ANSWER));
		assertThat(watcher.due()).isEqualTo(ended.plus(POLL));
		this.clock.set(began.plus(POLL));
		assertThat(watcher.isDue()).isFalse();
		this.clock.set(ended.plus(POLL));
		assertThat(watcher.isDue()).isTrue();
	}

	@Test
	void aRestartedStepInANewProcessKeepsThePaceTheStepItRestartsSaved() {
		// given: a step polled and saved its pace, then its process ended
		Side before = dfw();
		exportInFlight(before);
		TaskWatcher first = watcher(before);
		first.poll(this.ledger.images(1, ImageState.EXPORTING));
		ExecutionContext saved = new ExecutionContext();
		first.saveTo(saved);
		Instant listed = before.images().lastTaskListing().orElseThrow();

		// when: a new process, with new clients, restarts the step
		TaskWatcher restarted = watcher(dfw());
		TaskWatcher fresh = watcher(dfw());
		restarted.restoreFrom(saved);
		fresh.restoreFrom(new ExecutionContext());

		// then
		assertThat(restarted.due()).isEqualTo(listed.plus(POLL));
		assertThat(restarted.isDue()).isFalse();
		assertThat(fresh.isDue()).as("a step that is no restart polls at once").isTrue();
	}

}

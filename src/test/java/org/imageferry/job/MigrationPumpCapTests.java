package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.report.FerryMetrics;
import org.imageferry.simulator.Inspection.RequestView;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A region full: the pump starts no task beyond {@code tasks-in-flight-per-region}, and a
 * region that refuses a task POST (413 Over Limit, here the simulator's limit on task
 * POSTs per minute) halves the cap it is given and holds its starts for the Retry-After.
 */
class MigrationPumpCapTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		this.rig.close();
	}

	@Test
	void aFullRegionGetsNoTaskBeyondItsCap() throws Exception {
		// given: five images ready, room for two exports, tasks that do not end
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(),
				Map.of("tasks-in-flight-per-region", "2", "poll-interval", "30s"));
		String[] ids = { this.rig.cloud().seed("a"), this.rig.cloud().seed("b"), this.rig.cloud().seed("c"),
				this.rig.cloud().seed("d"), this.rig.cloud().seed("e") };
		this.rig.ready(ids);
		MigrationPump pump = this.rig.pump();

		// when: cycles over three polls
		for (int i = 0; i < 4; i++) {
			this.rig.cycle(pump);
			this.rig.advance(POLL);
		}

		// then: the first two, in manifest order, and no POST for the others
		assertThat(this.rig.cloud().taskPosts("DFW")).hasSize(2)
			.allSatisfy((post) -> assertThat(post.status()).isEqualTo(201));
		assertThat(this.rig.rows(ImageState.EXPORTING)).extracting(ImageRecord::sourceImageId)
			.containsExactly(ids[0], ids[1]);
		assertThat(this.rig.rows(ImageState.READY)).hasSize(3);
		assertThat(this.rig.meters().get("image.ferry.tasks.in.flight").tag("region", "DFW").gauge().value())
			.isEqualTo(2);
	}

	@Test
	void aRefusedPostHalvesTheCapAndHoldsTheRegionsStartsForItsRetryAfter() throws Exception {
		// given: room for four, a region that takes one task POST a minute
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(),
				Map.of("tasks-in-flight-per-region", "4", "poll-interval", "30s"));
		String[] ids = { this.rig.cloud().seed("a"), this.rig.cloud().seed("b"), this.rig.cloud().seed("c"),
				this.rig.cloud().seed("d"), this.rig.cloud().seed("e"), this.rig.cloud().seed("f") };
		this.rig.ready(ids);
		this.rig.cloud().taskPostsPerMinute(1);
		MigrationPump pump = this.rig.pump();
		Instant t0 = this.rig.now();

		// when: the first wave
		this.rig.cycle(pump);

		// then: one created, the refused (and those not sent) back to ready
		assertThat(this.rig.cloud().taskPosts("DFW")).filteredOn((r) -> r.status() == 201).hasSize(1);
		assertThat(this.rig.cloud().taskPosts("DFW")).filteredOn((r) -> r.status() == 413).isNotEmpty();
		assertThat(this.rig.rows(ImageState.EXPORTING)).hasSize(1);
		assertThat(this.rig.rows(ImageState.READY)).hasSize(5).allSatisfy((row) -> {
			assertThat(row.exportRequestedAt()).isNull();
			assertThat(row.exportTaskId()).isNull();
		});
		assertThat(throttled())
			.isEqualTo(this.rig.cloud().taskPosts("DFW").stream().filter((r) -> r.status() == 413).count());
		int posts = this.rig.cloud().taskPosts("DFW").size();

		// and when: a poll within the Retry-After (60 s), with room under either cap
		this.rig.set(t0.plus(POLL).plusSeconds(1));
		this.rig.cycle(pump);

		// then: no POST
		assertThat(this.rig.cloud().taskPosts("DFW")).hasSize(posts);

		// and when: past the Retry-After, and on for five minutes
		Instant released = t0.plusSeconds(62);
		this.rig.set(released);
		for (int i = 0; i < 10; i++) {
			this.rig.cycle(pump);
			this.rig.advance(POLL);
		}

		// then: one more, up to the halved cap of two, and nothing refused again
		assertThat(this.rig.cloud().taskPosts("DFW").subList(posts, this.rig.cloud().taskPosts("DFW").size()))
			.singleElement()
			.satisfies((RequestView post) -> {
				assertThat(post.status()).isEqualTo(201);
				assertThat(post.at()).isEqualTo(released);
			});
		assertThat(this.rig.rows(ImageState.EXPORTING)).hasSize(2);
	}

	/** The 413s the metrics counted in the source region's Images API. */
	private double throttled() {
		return this.rig.meters()
			.find(FerryMetrics.THROTTLED)
			.tag("region", "DFW")
			.tag("service", "image")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}

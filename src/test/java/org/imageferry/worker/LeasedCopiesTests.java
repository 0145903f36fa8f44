package org.imageferry.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.job.MigrationPump;
import org.imageferry.ledger.ImageState;
import org.imageferry.simulator.Inspection;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers' loops of leased copies in one JVM sharing a run on the simulated cloud,
 * beside a pump that copies nothing itself ({@code workers: 2}): every image is copied
 * once, by one of them, byte for byte, and the pump's next import poll starts the
 * imports.
 */
class LeasedCopiesTests {

	private static final Duration POLL = Duration.ofSeconds(30);

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void twoWorkersShareARunsCopiesAndCopyEachImageOnce() throws Exception {
		// given: six exported images of three to four 1 MiB segments each
		this.rig = new HeartRig(this.dir, ScriptedCloud.quickTasks(),
				Map.of("workers", "2", "transfer-concurrency", "1", "poll-interval", "30s", "lease", "3s"));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(this.rig.cloud().seed("image-" + i, (3 + i % 2) * MIB - 512, Map.of()));
		}
		this.rig.ready(ids.toArray(String[]::new));
		MigrationPump pump = this.rig.pump();
		this.rig.cycle(pump);
		this.rig.cloud().awaitTasksEnded();
		this.rig.advance(POLL);
		this.rig.cycle(pump);
		assertThat(this.rig.rows(ImageState.EXPORTED)).as("exported, and not copied by the pump").hasSize(6);

		// when: two workers copy until the run has nothing left to copy
		ExecutorService threads = Executors.newFixedThreadPool(2);
		List<Future<?>> loops = new ArrayList<>();
		for (String worker : List.of("w1", "w2")) {
			LeasedCopies copies = this.rig.leasedCopies(worker);
			loops.add(threads.submit(() -> {
				while (copies.cycle()) {
					copies.await(Duration.ofMillis(50));
				}
				return null;
			}));
		}
		for (Future<?> loop : loops) {
			loop.get(60, java.util.concurrent.TimeUnit.SECONDS);
		}
		threads.shutdown();

		// then: every image transferred by one of the two, no lease left held
		assertThat(this.rig.rows(ImageState.TRANSFERRED)).hasSize(6);
		assertThat(this.rig.leases().held(HeartRig.RUN)).isEmpty();
		List<String> movedBy = ids.stream().map((id) -> this.rig.row(id).transferWorker()).toList();
		assertThat(movedBy).as("who moved each image").containsOnly("w1", "w2").contains("w1", "w2");
		// each segment PUT once into the target, and each target object equal to its
		// source
		Map<String, Long> puts = this.rig.cloud()
			.requests(0)
			.stream()
			.filter((r) -> r.region().equals("IAD") && r.method().equals("PUT") && r.path().contains(".vhd-"))
			.collect(Collectors.groupingBy(Inspection.RequestView::path, Collectors.counting()));
		assertThat(puts).isNotEmpty().allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(1));
		for (String id : ids) {
			String source = md5("DFW", id);
			assertThat(md5("IAD", id)).as("the copy of " + id).isEqualTo(source);
		}

		// and when: the pump's next import poll
		this.rig.advance(POLL);
		this.rig.cycle(pump);

		// then: it starts the imports of what the workers moved
		assertThat(this.rig.rows(ImageState.IMPORTING)).hasSize(6);
	}

	private String md5(String region, String imageId) throws Exception {
		Inspection.ObjectView manifest = this.rig.cloud()
			.objects(region)
			.stream()
			.filter((o) -> o.name().equals(imageId + ".vhd"))
			.findFirst()
			.orElseThrow();
		return this.rig.cloud().md5(region, manifest.container(), manifest.name());
	}

}

package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import org.imageferry.ImageFerryApplication;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.RunItem;
import org.imageferry.report.FerryMetrics;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the job lists tasks, read from the simulator's request log: one listing per region
 * per poll when the cloud refuses the {@code type=export} filter, and no listing of a
 * region sooner than {@code poll-interval} after its previous one — through retried
 * listings and across a stop and an immediate restart.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
class PollingFunctionalTests {

	static final Duration POLL = Duration.ofMillis(300);

	@TempDir
	static Path dir;

	static TestCloud cloud;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	Job job;

	@Autowired
	RouteConnector routes;

	@Autowired
	Ledger ledger;

	@Autowired
	FerryMetrics metrics;

	@BeforeAll
	static void startCloud() throws Exception {
		cloud = new TestCloud(dir, TestCloud.defaults());
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@DynamicPropertySource
	static void profile(DynamicPropertyRegistry registry) {
		TestCloud.profile(registry, () -> cloud, false, "DFW", "IAD");
		registry.add("image-ferry.poll-interval", () -> POLL.toMillis() + "ms");
		registry.add("image-ferry.retries", () -> "8");
		registry.add("image-ferry.tasks-in-flight-per-region", () -> "3");
		registry.add("image-ferry.consistency-wait", () -> "5s");
	}

	JobExecution run(Path manifest, int day) throws Exception {
		return this.jobOperator.start(this.job,
				TestCloud.parameters(manifest, this.routes.route().key(), LocalDate.of(2026, 7, day), null, "polling"));
	}

	List<String> seed(String prefix, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(cloud.seed("DFW", cloud.alice, prefix + "-" + i, SyntheticVhd.fixed(TestCloud.MIB, 700 + i)));
		}
		return ids;
	}

	/** Polls of a region so far (the meter counts those that listed). */
	double polls(String region) {
		return this.metrics.registry()
			.find("image.ferry.task.polls")
			.tag("region", region)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	/**
	 * The task listings of a region the simulator answered since request {@code from}.
	 */
	static List<Inspection.RequestView> listings(int from, String region) {
		return cloud.inspect()
			.requests()
			.stream()
			.skip(from)
			.filter((r) -> r.region().equals(region) && r.method().equals("GET") && r.path().endsWith("/v2/tasks"))
			.toList();
	}

	static boolean answered(Inspection.RequestView request) {
		return request.status() >= 200 && request.status() < 300;
	}

	static boolean firstPage(Inspection.RequestView request) {
		return request.query() == null || !request.query().contains("marker=");
	}

	@Test
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void aRefusedTypeFilterIsSurvivedWithOneListingPerRegionPerPoll() throws Exception {
		// given: type=export refused with 400, as upstream Glance refuses task types it
		// does not know
		List<String> ids = seed("filter", 6);
		Path manifest = cloud.manifest("filter.csv", ids.toArray(String[]::new));
		cloud.cloud.rules(cloud.cloud.rules().toBuilder().refusedTaskTypeFilters(Set.of("export")).build());
		int from = cloud.inspect().requests().size();
		Map<String, Double> pollsBefore = Map.of("DFW", polls("DFW"), "IAD", polls("IAD"));

		// when
		JobExecution execution;
		try {
			execution = run(manifest, 1);
		}
		finally {
			cloud.cloud.rules(cloud.cloud.rules().toBuilder().refusedTaskTypeFilters(Set.of()).build());
		}

		// then: every image migrated once
		assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions())
			.isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.ledger.runItems(execution.getJobInstance().getInstanceId()))
			.extracting((RunItem item) -> item.image().state())
			.containsOnly(ImageState.MIGRATED);
		for (String id : ids) {
			assertThat(cloud.tasksFor("export", id)).hasSize(1);
			assertThat(cloud.tasksFor("import", id)).hasSize(1);
		}
		// the refusal was met once, the first time; every poll was then one listing
		List<Inspection.RequestView> dfw = listings(from, "DFW");
		assertThat(dfw).filteredOn((r) -> r.status() == 400).hasSize(1);
		assertThat(dfw.get(0).status()).isEqualTo(400);
		assertThat(dfw.get(0).query()).contains("type=export");
		assertThat(dfw.subList(1, dfw.size())).allSatisfy((r) -> {
			assertThat(r.status()).isEqualTo(200);
			assertThat(r.query()).doesNotContain("type=");
		});
		assertThat(dfw.size() - 1).isEqualTo((int) (polls("DFW") - pollsBefore.get("DFW")));
		List<Inspection.RequestView> iad = listings(from, "IAD");
		assertThat(iad).allSatisfy((r) -> {
			assertThat(r.status()).isEqualTo(200);
			assertThat(r.query()).contains("type=import");
		});
		assertThat(iad).hasSize((int) (polls("IAD") - pollsBefore.get("IAD")));
	}

	@Test
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void noRegionIsListedSoonerThanThePollIntervalAfterItsPreviousListing() throws Exception {
		// given: tasks that take several polls, a quarter of requests answered 503
		// (retried at
		// once), and a stop as soon as exports are in flight, restarted at once
		List<String> ids = seed("paced", 8);
		Path manifest = cloud.manifest("paced.csv", ids.toArray(String[]::new));
		cloud.cloud
			.rules(cloud.cloud.rules().toBuilder().taskLatency(Duration.ofSeconds(1), Duration.ofSeconds(1)).build());
		cloud.cloud.faults(Faults.builder().seed(7).errorRates(0.25, 0, 0).retryAfter(Duration.ZERO).build());
		int from = cloud.inspect().requests().size();
		Thread stopper = new Thread(() -> {
			try {
				while (listings(from, "DFW").stream().noneMatch(PollingFunctionalTests::answered)) {
					Thread.sleep(5);
				}
				// as `image-ferry stop` asks: the run ends STOPPED at its next cycle
				for (JobExecution running : this.jobRepository
					.findRunningJobExecutions(MigrationJobConfiguration.JOB)) {
					running.setStatus(BatchStatus.STOPPING);
					this.jobRepository.update(running);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});

		// when
		JobExecution stopped;
		JobExecution restarted;
		try {
			stopper.start();
			stopped = run(manifest, 2);
			stopper.join();
			restarted = this.jobOperator.restart(stopped);
		}
		finally {
			cloud.cloud.faults(Faults.none());
			cloud.cloud.rules(cloud.cloud.rules()
				.toBuilder()
				.taskLatency(Duration.ofMillis(300), Duration.ofMillis(300))
				.build());
		}

		// then: a listing starts a poll interval or more after the previous listing's
		// last
		// request; what follows a failed request at once is its retry, and a page with a
		// marker is the same listing's next page
		assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
		assertThat(restarted.getStatus()).as("%s", restarted.getAllFailureExceptions())
			.isEqualTo(BatchStatus.COMPLETED);
		Map<String, List<Duration>> gaps = new HashMap<>();
		for (String region : List.of("DFW", "IAD")) {
			List<Inspection.RequestView> listed = listings(from, region);
			assertThat(listed).as("listings in %s", region).hasSizeGreaterThan(3);
			for (int i = 1; i < listed.size(); i++) {
				if (answered(listed.get(i - 1)) && firstPage(listed.get(i))) {
					gaps.computeIfAbsent(region, (r) -> new ArrayList<>())
						.add(Duration.between(listed.get(i - 1).at(), listed.get(i).at()));
				}
			}
		}
		assertThat(listings(from, "DFW").stream().filter((r) -> r.status() == 503).count()
				+ listings(from, "IAD").stream().filter((r) -> r.status() == 503).count())
			.as("retried listings")
			.isPositive();
		assertThat(gaps.values()).allSatisfy((ofRegion) -> assertThat(ofRegion)
			.allSatisfy((gap) -> assertThat(gap).as("gap between listings").isGreaterThanOrEqualTo(POLL)));
	}

}

package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
 * The job against a cloud that refuses task POSTs with 413 {@code overLimit} and
 * {@code Retry-After}: a per-minute limit on task creation, and a cap on tasks in flight
 * below the profile's. Each region's cap is learned and its {@code Retry-After} waited
 * out, so a refused POST is the exception, not the rule; every refusal is counted in
 * {@code image_ferry_api_throttled_total}.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
class OverLimitFunctionalTests {

	@TempDir
	static Path dir;

	static TestCloud cloud;

	@Autowired
	JobOperator jobOperator;

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
		registry.add("image-ferry.poll-interval", () -> "300ms");
		registry.add("image-ferry.tasks-in-flight-per-region", () -> "6");
		registry.add("image-ferry.consistency-wait", () -> "5s");
	}

	JobExecution run(String name, List<String> ids, int day) throws Exception {
		Path manifest = cloud.manifest(name + ".csv", ids.toArray(String[]::new));
		return this.jobOperator.start(this.job,
				TestCloud.parameters(manifest, this.routes.route().key(), LocalDate.of(2026, 8, day), null, name));
	}

	List<String> seed(String prefix, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(cloud.seed("DFW", cloud.alice, prefix + "-" + i, SyntheticVhd.fixed(TestCloud.MIB, 800 + i)));
		}
		return ids;
	}

	/** Task POSTs the simulator answered since request {@code from}, refused or not. */
	static List<Inspection.RequestView> taskPosts(int from) {
		return cloud.inspect()
			.requests()
			.stream()
			.skip(from)
			.filter((r) -> r.method().equals("POST") && r.path().endsWith("/v2/tasks"))
			.toList();
	}

	double throttled(String region, int status) {
		return this.metrics.registry()
			.find(FerryMetrics.THROTTLED)
			.tag("region", region)
			.tag("service", "image")
			.tag("status", Integer.toString(status))
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	void assertMigratedOnce(JobExecution execution, List<String> ids) {
		assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions())
			.isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.ledger.runItems(execution.getJobInstance().getInstanceId()))
			.extracting((RunItem item) -> item.image().state())
			.containsOnly(ImageState.MIGRATED);
		for (String id : ids) {
			assertThat(cloud.tasksFor("export", id)).hasSize(1);
			assertThat(cloud.tasksFor("import", id)).hasSize(1);
		}
	}

	@Test
	@Timeout(value = 4, unit = TimeUnit.MINUTES)
	void aPerMinuteTaskLimitCostsAtMostOneAndAFifthPostsPerTaskStarted() throws Exception {
		// given: 10 task POSTs a minute per region, 20 images (two minutes' worth)
		List<String> ids = seed("rate", 20);
		cloud.cloud.rules(cloud.cloud.rules().toBuilder().taskPostsPerMinute(10).build());
		int from = cloud.inspect().requests().size();
		int tasksBefore = cloud.inspect().tasks().size();
		double throttledBefore = throttled("DFW", 413) + throttled("IAD", 413);

		// when
		JobExecution execution;
		try {
			execution = run("rate", ids, 1);
		}
		finally {
			cloud.cloud.rules(cloud.cloud.rules().toBuilder().taskPostsPerMinute(0).build());
		}

		// then
		assertMigratedOnce(execution, ids);
		List<Inspection.RequestView> posts = taskPosts(from);
		int started = cloud.inspect().tasks().size() - tasksBefore;
		long refused = posts.stream().filter((r) -> r.status() == 413).count();
		assertThat(started).isEqualTo(40);
		assertThat(refused).as("the limit was met").isPositive();
		assertThat((double) posts.size() / started).as("POSTs per task started (%d refused)", refused)
			.isLessThanOrEqualTo(1.2);
		assertThat(throttled("DFW", 413) + throttled("IAD", 413) - throttledBefore).isEqualTo(refused);
	}

	@Test
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void aCloudCapBelowTheProfilesIsLearnedInsteadOfPostedAgainstEachCycle() throws Exception {
		// given: the cloud takes 2 tasks in flight per region, the profile 6
		List<String> ids = seed("cap", 18);
		cloud.cloud.faults(Faults.builder().tasksInFlightCap(2).retryAfter(Duration.ofMillis(0)).build());
		int from = cloud.inspect().requests().size();
		int tasksBefore = cloud.inspect().tasks().size();

		// when
		JobExecution execution;
		try {
			execution = run("cap", ids, 2);
		}
		finally {
			cloud.cloud.faults(Faults.none());
		}

		// then: a refusal now and then as the cap is probed, not one per image per cycle
		assertMigratedOnce(execution, ids);
		List<Inspection.RequestView> posts = taskPosts(from);
		int started = cloud.inspect().tasks().size() - tasksBefore;
		long refused = posts.stream().filter((r) -> r.status() == 413).count();
		assertThat(started).isEqualTo(36);
		assertThat(refused).as("the cap was met").isPositive();
		assertThat((double) posts.size() / started).as("POSTs per task started (%d refused)", refused)
			.isLessThanOrEqualTo(1.5);
	}

}

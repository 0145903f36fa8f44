package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
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
import org.imageferry.vhd.ImportFailure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job through a storm: 10 % of requests answered 503 (with
 * {@code Retry-After}), 2 % 500, 1 % of object transfers cut mid-body, a per-tenant cap
 * on tasks in flight (413 Over Limit beyond it), tokens that expire every few seconds,
 * and one image forced to fail with each of the seed's import codes. Every other image
 * migrates exactly once; each forced failure shows its code and explanation; retries
 * happen, and are bounded.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
class FaultStormFunctionalTests {

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
		cloud = new TestCloud(dir,
				TestCloud.defaults()
					.taskLatency(Duration.ofMillis(300), Duration.ofMillis(300))
					.tokenTtl(Duration.ofSeconds(3)));
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@DynamicPropertySource
	static void profile(DynamicPropertyRegistry registry) {
		TestCloud.profile(registry, () -> cloud, false, "DFW", "ORD");
		registry.add("image-ferry.tasks-in-flight-per-region", () -> "6");
		registry.add("image-ferry.retries", () -> "8");
		registry.add("image-ferry.consistency-wait", () -> "5s");
	}

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void everyImageNotForcedToFailMigratesOnceAndForcedFailuresShowTheirCode() throws Exception {
		// given
		List<String> ordinary = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			ordinary.add(cloud.seed("DFW", cloud.alice, "storm-" + i,
					(i % 2 == 0) ? SyntheticVhd.fixed((1 + i % 3) * TestCloud.MIB, 300 + i)
							: SyntheticVhd.dynamic(8 * TestCloud.MIB, 300 + i, 0.4)));
		}
		Map<String, Integer> forced = new HashMap<>();
		for (ImportFailure failure : ImportFailure.values()) {
			forced.put(cloud.seed("DFW", cloud.alice, "forced-" + failure.code(),
					SyntheticVhd.fixed(TestCloud.MIB, failure.code())), failure.code());
		}
		List<String> all = new ArrayList<>(ordinary);
		all.addAll(forced.keySet());
		Path manifest = cloud.manifest("storm.csv", all.toArray(String[]::new));
		cloud.cloud.faults(Faults.builder()
			.seed(42)
			.errorRates(0.10, 0.02, 0.01)
			.tasksInFlightCap(3)
			.retryAfter(Duration.ZERO)
			.forcedImportFailures(forced)
			.build());

		// when
		JobExecution execution;
		try {
			execution = this.jobOperator.start(this.job,
					TestCloud.parameters(manifest, this.routes.route().key(), LocalDate.of(2026, 6, 1), null, "storm"));
		}
		finally {
			cloud.cloud.faults(Faults.none());
		}

		// then
		assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions())
			.isEqualTo(BatchStatus.COMPLETED);
		List<RunItem> items = this.ledger.runItems(execution.getJobInstance().getInstanceId());
		for (RunItem item : items) {
			String id = item.sourceImageId();
			if (forced.containsKey(id)) {
				assertThat(item.image().state()).isEqualTo(ImageState.FAILED);
				assertThat(item.image().failureCode()).isEqualTo(Integer.toString(forced.get(id)));
				assertThat(item.image().failureMessage())
					.contains(ImportFailure.ofCode(forced.get(id)).orElseThrow().message());
			}
			else {
				assertThat(item.image().state()).as("%s: %s", id, item.image().failureMessage())
					.isEqualTo(ImageState.MIGRATED);
				Inspection.ImageView moved = MigrationJobFunctionalTests.single(cloud.migrated("ORD", "DFW", id));
				assertThat(cloud.inspect().imageMd5(moved.id())).isEqualTo(cloud.inspect().imageMd5(id));
			}
			assertThat(cloud.tasksFor("export", id)).as("export tasks of %s", id).hasSize(1);
		}
		assertThat(ordinary).allSatisfy((id) -> assertThat(cloud.tasksFor("import", id)).hasSize(1));
		MeterRegistry meters = this.metrics.registry();
		double retries = meters.find(FerryMetrics.RETRIES).counters().stream().mapToDouble((c) -> c.count()).sum();
		double requests = meters.find(FerryMetrics.REQUESTS).counters().stream().mapToDouble((c) -> c.count()).sum();
		assertThat(retries).as("the storm was felt").isPositive();
		assertThat(retries).as("retries are bounded").isLessThan(requests * 0.5);
		assertThat(meters.find(FerryMetrics.REQUESTS).tag("status", "413").counters()).as("Over Limit was met")
			.isNotEmpty();
	}

}

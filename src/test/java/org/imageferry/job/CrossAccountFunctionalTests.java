package org.imageferry.job;

import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A move between two accounts and two regions: alice's images in DFW become bob's in ORD,
 * and the exported objects of each account are cleaned up in its own Cloud Files.
 */
@SpringBootTest(classes = ImageFerryApplication.class)
class CrossAccountFunctionalTests {

	@TempDir
	static Path dir;

	static TestCloud cloud;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job job;

	@Autowired
	RouteConnector routes;

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
		TestCloud.profile(registry, () -> cloud, true, "DFW", "ORD");
	}

	@Test
	void alicesImagesInDfwBecomeBobsInOrd() throws Exception {
		// given
		String fixed = cloud.seed("DFW", cloud.alice, "shared-fixed", SyntheticVhd.fixed(2 * TestCloud.MIB, 61));
		String dynamic = cloud.seed("DFW", cloud.alice, "shared-dynamic", SyntheticVhd.dynamic(8 * TestCloud.MIB, 62));
		Path manifest = cloud.manifest("cross.csv", fixed, dynamic);

		// when
		JobExecution execution = this.jobOperator.start(this.job,
				TestCloud.parameters(manifest, this.routes.route().key(), LocalDate.of(2026, 4, 1), null, "cross"));

		// then
		assertThat(this.routes.route().key()).isEqualTo("DFW:alice>ORD:bob");
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		for (String id : new String[] { fixed, dynamic }) {
			Inspection.ImageView moved = MigrationJobFunctionalTests.single(cloud.migrated("ORD", "DFW", id));
			assertThat(moved.owner()).isEqualTo(cloud.bob.tenantId());
			assertThat(cloud.inspect().imageMd5(moved.id())).isEqualTo(cloud.inspect().imageMd5(id));
			assertThat(cloud.tasksFor("export", id)).singleElement()
				.extracting(Inspection.TaskView::owner, Inspection.TaskView::region)
				.containsExactly(cloud.alice.tenantId(), "DFW");
			assertThat(cloud.tasksFor("import", id)).singleElement()
				.extracting(Inspection.TaskView::owner, Inspection.TaskView::region)
				.containsExactly(cloud.bob.tenantId(), "ORD");
		}
		assertThat(cloud.objects("DFW", cloud.alice)).noneMatch((o) -> o.contains(".vhd"));
		assertThat(cloud.objects("ORD", cloud.bob)).noneMatch((o) -> o.contains(".vhd"));
	}

}

package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Knobs;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job against the simulated cloud's {@code rackspace-strict} profile at once —
 * protected properties, the {@code type=export} listing refused, no bulk delete, task
 * POSTs limited per minute, Cloud Files writes limited per container, listing lag, task
 * time growing with size — as the real cloud may show them all together: every image
 * migrates (with a warning naming the properties the target refused), nothing exported is
 * left behind, the refused listing costs one request, and task POSTs are not wasted.
 */
@ExtendWith(OutputCaptureExtension.class)
class RackspaceStrictFunctionalTests {

	private static final int IMAGES = 6;

	@TempDir
	Path dir;

	@Test
	void theJobMigratesEveryImageOnACloudAsStrictAsRackspaceIsDocumented(CapturedOutput output) throws Exception {
		// given: the strict profile, with tasks' fixed part shortened for a test
		Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder().segmentSize(1024 * 1024));
		Knobs.profile(settings, "rackspace-strict");
		Knobs.set(settings, "task-latency", "200ms");
		try (SimulatedCloud cloud = SimulatedCloud.start(settings.build().build())) {
			assertThat(cloud.rules().protectedProperties()).isTrue();
			assertThat(cloud.rules().bulkDelete()).isFalse();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < IMAGES; i++) {
				ids.add(cloud.addImage(ImageSeed.of("DFW", "100001", "strict-" + i, SyntheticVhd.dynamic(3 << 20, i))));
			}
			Path manifest = Files.writeString(this.dir.resolve("strict.csv"),
					"image_id\n" + String.join("\n", ids) + "\n");
			Path job = profile(cloud);

			// when
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

			// then: every image migrated, each with the warning naming what was refused
			assertThat(code).as(output.getErr()).isEqualTo(ExitCodes.MIGRATED);
			for (String id : ids) {
				assertThat(output.getOut())
					.containsPattern(id + " +iad +migrated .*migrated with a warning: the target "
							+ "refused org\\.openstack__1__architecture, org\\.openstack__1__os_distro, "
							+ "org\\.openstack__1__os_version, not copied");
			}
			// nothing exported is left, in either region, without bulk delete
			Inspection inspection = cloud.inspect();
			assertThat(inspection.objects("DFW", "100001")).isEmpty();
			assertThat(inspection.objects("IAD", "100001")).isEmpty();
			List<Inspection.RequestView> requests = inspection.requests();
			assertThat(requests)
				.noneMatch((r) -> r.query() != null && r.query().contains("bulk-delete") && r.status() == 200);
			// the type=export listing was refused once and not asked again
			assertThat(requests)
				.filteredOn((r) -> r.method().equals("GET") && r.service().equals("tasks") && r.status() == 400)
				.hasSize(1)
				.allSatisfy((r) -> assertThat(r.query()).contains("type=export"));
			// no task POST wasted: at most 1.2 per task the cloud created
			long posts = requests.stream()
				.filter((r) -> r.method().equals("POST") && r.service().equals("tasks"))
				.count();
			assertThat(posts).isLessThanOrEqualTo(Math.round(1.2 * inspection.tasks().size()));
			assertThat(inspection.tasks()).hasSize(2 * IMAGES);
		}
	}

	private Path profile(SimulatedCloud cloud) throws Exception {
		Path credentials = JobProfile.credentials(this.dir.resolve("credentials"),
				"username=alice\napi-key=" + cloud.config().accounts().get(0).apiKey() + "\n");
		return JobProfile.write(this.dir.resolve("strict.yml"), cloud.identityUrl(), this.dir, """
				credentials-file: %s
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				poll-interval: 200ms
				retry-delay: 10ms
				consistency-wait: 30s
				""".formatted(credentials));
	}

}

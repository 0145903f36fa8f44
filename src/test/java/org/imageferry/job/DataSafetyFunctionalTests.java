package org.imageferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.imageferry.ImageFerryApplication;
import org.imageferry.cli.ExitCodes;
import org.imageferry.ingest.Cleanup;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run must never do to an account's data, proved on the command line against the
 * simulated cloud: the source image is never modified or deleted, and clean-up deletes
 * only the objects the run created for an image, only once that image's import succeeded,
 * and only on the sides the clean-up policy names.
 */
class DataSafetyFunctionalTests {

	static final String EXPORTS = "exports";

	static final String IMPORTS = "imports";

	static final String OTHER = UUID.randomUUID().toString();

	/** Objects an operator (or another tool) keeps in the same containers. */
	static final List<String> UNRELATED = List.of("other.vhd", "notes.txt", OTHER + ".vhd", OTHER + ".vhd-00001");

	@TempDir
	static Path dir;

	static TestCloud cloud;

	@BeforeAll
	static void startCloud() throws Exception {
		cloud = new TestCloud(dir, TestCloud.defaults());
		for (String region : List.of("DFW", "IAD")) {
			String container = region.equals("DFW") ? EXPORTS : IMPORTS;
			cloud.cloud.createContainer(region, cloud.alice.tenantId(), container);
			for (String name : UNRELATED) {
				cloud.putOwnObject(region, container, name);
			}
		}
	}

	@AfterAll
	static void stopCloud() {
		cloud.close();
	}

	@Test
	void theSourceIsUntouchedAndAFailedImportKeepsItsObjectsWhileOnlyTheMigratedImagesObjectsGo() throws Exception {
		// given
		String migrated = cloud.seed("DFW", cloud.alice, "safe-ok", SyntheticVhd.dynamic(4 * TestCloud.MIB, 41, 0.5));
		String failing = cloud.seed("DFW", cloud.alice, "safe-failing", SyntheticVhd.fixed(3 * TestCloud.MIB, 42));
		cloud.cloud.faults(cloud.cloud.faults().toBuilder().forcedImportFailures(Map.of(failing, 721)).build());
		Inspection.ImageView migratedBefore = image(migrated);
		Inspection.ImageView failingBefore = image(failing);
		Path manifest = cloud.manifest("safety.csv", migrated, failing);

		// when
		int code = ImageFerryApplication.run("run", "--job", job("safety", Cleanup.BOTH).toString(), "--manifest",
				manifest.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
		assertThat(cloud.migrated("IAD", "DFW", migrated)).hasSize(1);
		assertThat(cloud.migrated("IAD", "DFW", failing)).isEmpty();
		assertThat(image(migrated)).as("the migrated source image").isEqualTo(migratedBefore);
		assertThat(image(failing)).as("the failed source image").isEqualTo(failingBefore);
		assertThat(cloud.inspect().requests()).as("the target image's metadata was patched")
			.anyMatch((r) -> r.path().startsWith("/images/IAD/") && r.method().equals("PATCH"));
		assertThat(cloud.inspect().requests()).as("requests that change or delete a source image")
			.noneMatch((r) -> r.path().startsWith("/images/DFW/")
					&& (r.method().equals("PATCH") || r.method().equals("DELETE")));
		for (String region : List.of("DFW", "IAD")) {
			String container = region.equals("DFW") ? EXPORTS : IMPORTS;
			List<String> objects = cloud.objects(region, cloud.alice);
			assertThat(objects).as("objects in " + region).noneMatch((o) -> o.contains(migrated));
			assertThat(objects).as("the failed image's export in " + region)
				.contains(container + "/" + failing + ".vhd")
				.anyMatch((o) -> o.startsWith(container + "/" + failing + ".vhd-0"));
			assertThat(objects).as("unrelated objects in " + region)
				.containsAll(UNRELATED.stream().map((n) -> container + "/" + n).toList());
		}
		assertThat(deletes()).as("objects deleted")
			.isNotEmpty()
			.allMatch((path) -> path.contains("/" + migrated + ".vhd"));
	}

	@ParameterizedTest
	@EnumSource(Cleanup.class)
	void cleanUpDeletesTheExportOnlyOnTheSidesItNames(Cleanup cleanup) throws Exception {
		// given
		String id = cloud.seed("DFW", cloud.alice, "cleanup-" + cleanup,
				SyntheticVhd.fixed(3 * TestCloud.MIB, 50 + cleanup.ordinal()));
		Path manifest = cloud.manifest("cleanup-" + cleanup + ".csv", id);
		long deletesBefore = deletes().size();

		// when
		int code = ImageFerryApplication.run("run", "--job", job("cleanup-" + cleanup, cleanup).toString(),
				"--manifest", manifest.toString());

		// then
		assertThat(code).isEqualTo(ExitCodes.MIGRATED);
		boolean source = cleanup == Cleanup.SOURCE || cleanup == Cleanup.BOTH;
		boolean target = cleanup == Cleanup.TARGET || cleanup == Cleanup.BOTH;
		assertThat(cloud.objects("DFW", cloud.alice).stream().anyMatch((o) -> o.contains(id)))
			.as("the export left in DFW")
			.isEqualTo(!source);
		assertThat(cloud.objects("IAD", cloud.alice).stream().anyMatch((o) -> o.contains(id)))
			.as("the copy left in IAD")
			.isEqualTo(!target);
		List<String> deleted = deletes().subList((int) deletesBefore, deletes().size());
		assertThat(deleted).as("deleted by this run").allMatch((path) -> path.contains("/" + id + ".vhd"));
		assertThat(deleted.stream().anyMatch((path) -> path.startsWith("DFW/"))).isEqualTo(source);
		assertThat(deleted.stream().anyMatch((path) -> path.startsWith("IAD/"))).isEqualTo(target);
		assertThat(cloud.objects("DFW", cloud.alice))
			.containsAll(UNRELATED.stream().map((n) -> EXPORTS + "/" + n).toList());
		assertThat(cloud.objects("IAD", cloud.alice))
			.containsAll(UNRELATED.stream().map((n) -> IMPORTS + "/" + n).toList());
	}

	private static Path job(String name, Cleanup cleanup) throws IOException {
		return JobProfile.write(dir.resolve(name + ".yml"), cloud.cloud.identityUrl(), dir.resolve(name), """
				credentials-file: %s
				source: { region: DFW, container: %s }
				target: { region: IAD, container: %s }
				cleanup: %s
				poll-interval: 100ms
				retry-delay: 10ms
				consistency-wait: 5s
				""".formatted(cloud.credentials(cloud.alice, cloud.alice), EXPORTS, IMPORTS, cleanup));
	}

	private static Inspection.ImageView image(String id) {
		return cloud.inspect().images().stream().filter((i) -> i.id().equals(id)).findFirst().orElseThrow();
	}

	/** Paths of every object DELETE the simulated Cloud Files answered, in order. */
	/** The objects deleted so far, as {@code region/account/container/object}. */
	private static List<String> deletes() {
		return cloud.inspect().deletedObjects();
	}

}

package org.imageferry.export;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.cloud.ImageInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Preflight}'s verdicts as the ledger records them, against images the simulated
 * cloud holds: ready, or failed with the reason an operator reads, or migrated already
 * (the target holds an image whose provenance names it).
 */
class PreflightTests {

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path dir;

	private HeartRig rig;

	@BeforeEach
	void start() throws Exception {
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(), Map.of("size-limit", "2MB"));
	}

	@AfterEach
	void close() throws Exception {
		this.rig.close();
	}

	private ImageRecord checked(String id, boolean force) {
		this.rig.record(id);
		this.rig.preflight(force);
		return this.rig.row(id);
	}

	@Test
	void anExportableImageOfTheCallersWithinTheLimitIsReady() {
		// given
		String id = this.rig.cloud().seed("web-1");

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.READY);
		assertThat(row.sourceName()).isEqualTo("web-1");
		assertThat(row.sourceSize()).isEqualTo(MIB + 512);
		assertThat(row.failureCode()).isNull();
	}

	@Test
	void anImageThatDoesNotExistFailsNotFound() {
		// given
		String id = ScriptedCloud.unknownImage();

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("NOT_FOUND");
		assertThat(row.failureMessage()).contains(id, "DFW", "alice");
	}

	@Test
	void anotherAccountsImageFailsNotOwner() {
		// given: bob's image, public, so alice sees it
		String id = this.rig.cloud().seedOthers("shared");

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("NOT_OWNER");
		assertThat(row.failureMessage()).contains("100002");
	}

	@Test
	void anImageThatIsNotActiveFailsNotActive() {
		// given: a snapshot still being taken
		String id = this.rig.cloud().seedInStatus("half-done", "saving");

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("NOT_ACTIVE");
		assertThat(row.failureMessage()).contains(id, "saving");
	}

	@Test
	void anImageRackspaceWillNotExportFailsNotExportable() {
		// given: a Windows-like image: options other than "0"
		String id = this.rig.cloud().seed("windows", MIB, Map.of(ImageInfo.OPTIONS, "1"));

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("NOT_EXPORTABLE");
		assertThat(row.failureMessage()).contains("'1'");
	}

	@Test
	void anImageAboveTheSizeLimitFailsTooLarge() {
		// given: 4 MiB against a limit of 2 MiB
		String id = this.rig.cloud().seed("big", 4 * MIB, Map.of());

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.FAILED);
		assertThat(row.failureCode()).isEqualTo("TOO_LARGE");
		assertThat(row.sourceSize()).isNull();
	}

	@Test
	void anImageWhoseProvenanceIsInTheTargetIsMigratedAlready() {
		// given: an earlier run's image in the target names this one as its source
		String id = this.rig.cloud().seed("done");
		String earlier = this.rig.cloud().migratedEarlier(id);

		// when
		ImageRecord row = checked(id, false);

		// then
		assertThat(row.state()).isEqualTo(ImageState.MIGRATED);
		assertThat(row.targetImageId()).isEqualTo(earlier);
		assertThat(row.finishedAt()).isEqualTo(this.rig.now());
	}

	@Test
	void aForcedRunChecksAnImageMigratedAlreadyLikeAnyOther() {
		// given
		String id = this.rig.cloud().seed("again");
		this.rig.cloud().migratedEarlier(id);

		// when
		ImageRecord row = checked(id, true);

		// then
		assertThat(row.state()).isEqualTo(ImageState.READY);
		assertThat(row.targetImageId()).isNull();
	}

}

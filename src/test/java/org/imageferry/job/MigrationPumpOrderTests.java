package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.testsupport.HeartRig;
import org.imageferry.testsupport.ScriptedCloud;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which ready images get the region's export slots first: the largest (profile key
 * {@code order}, by default), or the first lines of the manifest.
 */
class MigrationPumpOrderTests {

	private static final long MIB = 1024 * 1024;

	/** The manifest's images' sizes, in its order: the largest are its 4th and 2nd. */
	private static final long[] SIZES = { 1 * MIB, 4 * MIB, 2 * MIB, 8 * MIB, 3 * MIB };

	@TempDir
	Path dir;

	private HeartRig rig;

	@AfterEach
	void close() throws Exception {
		this.rig.close();
	}

	@Test
	void byDefaultTheTwoSlotsGoToTheTwoLargestImages() throws Exception {
		// given: room for two exports, tasks that do not end, no order in the profile
		String[] ids = readyImages(Map.of("tasks-in-flight-per-region", "2"));

		// when
		exportsStarted();

		// then: the 8 MiB and the 4 MiB image, and no POST for the others
		assertThat(this.rig.cloud().taskPosts("DFW")).hasSize(2);
		assertThat(exported(ids)).containsExactlyInAnyOrder(ids[3], ids[1]);
		assertThat(this.rig.rows(ImageState.EXPORTING)).extracting(ImageRecord::sourceImageId)
			.containsExactlyInAnyOrder(ids[3], ids[1]);
	}

	@Test
	void inManifestOrderTheTwoSlotsGoToTheFirstTwoLines() throws Exception {
		// given
		String[] ids = readyImages(Map.of("tasks-in-flight-per-region", "2", "order", "manifest"));

		// when
		exportsStarted();

		// then
		assertThat(this.rig.cloud().taskPosts("DFW")).hasSize(2);
		assertThat(exported(ids)).containsExactlyInAnyOrder(ids[0], ids[1]);
	}

	private String[] readyImages(Map<String, String> profile) throws Exception {
		this.rig = new HeartRig(this.dir, ScriptedCloud.slowTasks(), profile);
		String[] ids = new String[SIZES.length];
		for (int i = 0; i < SIZES.length; i++) {
			ids[i] = this.rig.cloud().seed("image-" + i, SIZES[i], Map.of());
		}
		this.rig.ready(ids);
		return ids;
	}

	/** Cycles over two polls: every slot the region has is taken. */
	private void exportsStarted() {
		MigrationPump pump = this.rig.pump();
		for (int i = 0; i < 3; i++) {
			this.rig.cycle(pump);
			this.rig.advance(Duration.ofSeconds(30));
		}
	}

	/** The images the cloud holds an export task for. */
	private List<String> exported(String[] ids) {
		return Arrays.stream(ids).filter((id) -> !this.rig.cloud().exportsOf(id).isEmpty()).toList();
	}

}

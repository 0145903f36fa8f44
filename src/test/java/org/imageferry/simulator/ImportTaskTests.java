package org.imageferry.simulator;

import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.simulator.content.SyntheticVhd.Defect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;
import static org.imageferry.simulator.SimulatorClient.exportTask;
import static org.imageferry.simulator.SimulatorClient.importTask;

class ImportTaskTests {

	/** The failure texts of the import seed page, word for word. */
	private static final Map<Integer, String> SEED_MESSAGES = Map.of(111,
			"111: The image cannot be imported. There is an unspecified problem with your VHD that caused it to fail our validation checks.",
			396, "396: The image cannot be imported. The file is not a valid VHD.", 413,
			"413: The image cannot be imported. The virtual size of the disk exceeds the 40GB limit.", 523,
			"523: The image cannot be imported. Only fixed or dynamic disks may be imported.", 609,
			"609: The image cannot be imported. The physical size of the disk exceeds the 40GB limit.", 614,
			"614: The image cannot be imported. The internal UUID of the VHD is all zeros.", 721,
			"721: The image cannot be imported. Your VHD has a parent disk. Only a stand-alone VHD may be imported.");

	private SimulatorClient client;

	@AfterEach
	void stop() {
		this.client.close();
	}

	private void start(long importSizeLimit) {
		this.client = SimulatorClient.start(SimulatorClient.config().importSizeLimit(importSizeLimit).build());
		this.client.createContainer(ALICE, "imports");
	}

	private JsonNode importObject(String name, byte[] vhd) {
		this.client.putObject(ALICE, "imports", name, vhd);
		return this.client.runTask(ALICE, importTask("imports/" + name, "imported"));
	}

	@ParameterizedTest
	@CsvSource({ "NOT_A_VHD, false, 396", "BAD_CHECKSUM, false, 111", "BAD_CHECKSUM, true, 111",
			"UNSUPPORTED_TYPE, false, 523", "UNSUPPORTED_TYPE, true, 523", "ZERO_UUID, false, 614",
			"ZERO_UUID, true, 614", "DIFFERENCING, true, 721" })
	void aDefectiveVhdFailsWithTheSeedMessage(Defect defect, boolean dynamic, int code) {
		// given
		start(40L * 1024 * MIB);
		SyntheticVhd vhd = (dynamic ? SyntheticVhd.dynamic(4 * MIB, 3) : SyntheticVhd.fixed(2 * MIB, 3))
			.withDefect(defect);

		// when
		JsonNode task = importObject("bad.vhd", SimulatorClient.read(vhd));

		// then
		assertThat(task.path("status").asText()).isEqualTo("failure");
		assertThat(task.path("message").asText()).isEqualTo(SEED_MESSAGES.get(code));
		assertThat(task.has("result")).isFalse();
		assertThat(this.client.cloud.inspect().images()).isEmpty();
	}

	@Test
	void aVirtualSizeAboveTheLimitFailsWith413() {
		// given: a fixed disk of 5 MiB under a 4 MiB limit
		start(4 * MIB);

		// when
		JsonNode task = importObject("big.vhd", SimulatorClient.read(SyntheticVhd.fixed(5 * MIB, 4)));

		// then
		assertThat(task.path("message").asText()).isEqualTo(SEED_MESSAGES.get(413));
	}

	@Test
	void byDefaultAVirtualSizeAbove160GBFailsWith413InTheSeedsWords() {
		// given: the default rules, sparse dynamic disks (their files are a few MiB)
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "imports");
		byte[] atLimit = SimulatorClient.read(SyntheticVhd.dynamic(160 * Rules.GIB, 12, 1e-6));
		byte[] overLimit = SimulatorClient.read(SyntheticVhd.dynamic(160 * Rules.GIB + 512, 12, 1e-6));

		// when
		JsonNode accepted = importObject("at-limit.vhd", atLimit);
		JsonNode refused = importObject("over-limit.vhd", overLimit);

		// then
		assertThat(accepted.path("status").asText()).isEqualTo("success");
		assertThat(refused.path("status").asText()).isEqualTo("failure");
		assertThat(refused.path("message").asText()).isEqualTo(SEED_MESSAGES.get(413));
	}

	@Test
	void aPhysicalSizeAboveTheLimitFailsWith609() {
		// given: a fully allocated dynamic disk of 4 MiB, whose file is larger, under a 4
		// MiB limit
		start(4 * MIB);
		SyntheticVhd vhd = SyntheticVhd.dynamic(4 * MIB, 5, 1);
		assertThat(vhd.length()).isGreaterThan(4 * MIB);

		// when
		JsonNode task = importObject("fat.vhd", SimulatorClient.read(vhd));

		// then
		assertThat(task.path("message").asText()).isEqualTo(SEED_MESSAGES.get(609));
	}

	@Test
	void aFixedVhdWhoseFileIsNotItsSizePlusAFooterFailsWith111() {
		// given: a fixed disk with 4 KiB of data cut out before its footer
		start(40L * 1024 * MIB);
		byte[] vhd = SimulatorClient.read(SyntheticVhd.fixed(2 * MIB, 6));
		byte[] truncated = Arrays.copyOfRange(vhd, 0, vhd.length - 4096);
		System.arraycopy(vhd, vhd.length - 512, truncated, truncated.length - 512, 512);

		// when
		JsonNode task = importObject("truncated.vhd", truncated);

		// then
		assertThat(task.path("message").asText()).isEqualTo(SEED_MESSAGES.get(111));
	}

	@Test
	void aValidPlainObjectImportsAsAnImageOfTheCaller() {
		// given
		start(40L * 1024 * MIB);
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(4 * MIB, 7));

		// when
		JsonNode task = importObject("good.vhd", vhd);

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		assertThat(task.path("message").asText()).isEqualTo("None");
		String imageId = task.path("result").path("image_id").asText();
		JsonNode image = this.client.get(this.client.images("/images/" + imageId)).json();
		assertThat(image.path("name").asText()).isEqualTo("imported");
		assertThat(image.path("owner").asText()).isEqualTo(ALICE);
		assertThat(image.path("status").asText()).isEqualTo("active");
		assertThat(image.path("size").asLong()).isEqualTo(vhd.length);
	}

	@Test
	void anExportedDynamicLargeObjectImports() {
		// given
		start(40L * 1024 * MIB);
		this.client.createContainer(ALICE, "exports");
		SyntheticVhd vhd = SyntheticVhd.dynamic(6 * MIB, 8, 1);
		String source = this.client.addImage(ALICE, "web", vhd);
		this.client.runTask(ALICE, exportTask(source, "exports"));

		// when
		JsonNode task = this.client.runTask(ALICE, importTask("exports/" + source + ".vhd", "web-copy"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		JsonNode image = this.client.get(this.client.images("/images/" + task.path("result").path("image_id").asText()))
			.json();
		assertThat(image.path("name").asText()).isEqualTo("web-copy");
		assertThat(image.path("size").asLong()).isEqualTo(vhd.length());
	}

	@Test
	void aStaticLargeObjectImports() {
		// given: a VHD of 4 MiB + 3.5 KiB in two segments
		start(40L * 1024 * MIB);
		byte[] vhd = SimulatorClient.read(SyntheticVhd.dynamic(4 * MIB, 9, 1));
		byte[] first = Arrays.copyOfRange(vhd, 0, (int) (2 * MIB));
		byte[] second = Arrays.copyOfRange(vhd, (int) (2 * MIB), vhd.length);
		this.client.putObject(ALICE, "imports", "slo.vhd-1", first);
		this.client.putObject(ALICE, "imports", "slo.vhd-2", second);
		String manifest = "[{\"path\":\"/imports/slo.vhd-1\",\"etag\":\"" + SimulatorClient.md5(first)
				+ "\",\"size_bytes\":" + first.length + "},{\"path\":\"/imports/slo.vhd-2\",\"etag\":\""
				+ SimulatorClient.md5(second) + "\",\"size_bytes\":" + second.length + "}]";
		SimulatorClient.Response put = this.client
			.call("PUT", this.client.files(ALICE, "/imports/slo.vhd?multipart-manifest=put"))
			.as(ALICE)
			.json(manifest)
			.send();
		assertThat(put.status()).isEqualTo(201);

		// when
		JsonNode task = this.client.runTask(ALICE, importTask("imports/slo.vhd", "from-slo"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		assertThat(this.client.cloud.inspect().images()).singleElement()
			.satisfies((i) -> assertThat(i.size()).isEqualTo(vhd.length));
	}

	@Test
	void aMissingObjectFails() {
		// given
		start(40L * 1024 * MIB);

		// when
		JsonNode task = this.client.runTask(ALICE, importTask("imports/nothing.vhd", "x"));
		JsonNode noContainer = this.client.runTask(ALICE, importTask("nowhere/nothing.vhd", "x"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("failure");
		assertThat(task.path("message").asText()).isNotEqualTo("None");
		assertThat(noContainer.path("status").asText()).isEqualTo("failure");
		assertThat(this.client.cloud.inspect().images()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 111, 396, 413, 523, 609, 614, 721 })
	void aForcedFailureGivesThatCodesMessage(int code) {
		// given: a valid VHD, forced to fail
		start(40L * 1024 * MIB);
		this.client.cloud.faults(Faults.builder().forcedImportFailures(Map.of("good", code)).build());

		// when
		JsonNode task = importObject("good.vhd", SimulatorClient.read(SyntheticVhd.fixed(MIB, 10)));

		// then
		assertThat(task.path("status").asText()).isEqualTo("failure");
		assertThat(task.path("message").asText()).isEqualTo(SEED_MESSAGES.get(code));
		assertThat(this.client.cloud.inspect().images()).isEmpty();
	}

	@Test
	void anImportIsInTheCallersRegionOnly() {
		// given
		start(40L * 1024 * MIB);
		JsonNode task = importObject("good.vhd", SimulatorClient.read(SyntheticVhd.fixed(MIB, 11)));

		// when
		SimulatorClient.Response elsewhere = this.client
			.call("GET",
					this.client.cloud.imagesUrl("ORD") + "/images/" + task.path("result").path("image_id").asText())
			.as(ALICE)
			.send();

		// then
		assertThat(this.client.cloud.inspect().images()).extracting(Inspection.ImageView::region)
			.containsExactly(REGION);
		assertThat(elsewhere.status()).isEqualTo(404);
	}

}

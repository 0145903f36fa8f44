package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.BOB;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;
import static org.imageferry.simulator.SimulatorClient.exportTask;

class ExportTaskTests {

	private SimulatorClient client;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "exports");
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	@Test
	void anExportWritesADynamicLargeObjectOfFixedSizeSegments() {
		// given: a fixed VHD of 3 MiB + 512 bytes, exported in 1 MiB segments
		SyntheticVhd vhd = SyntheticVhd.fixed(3 * MIB, 7);
		byte[] image = SimulatorClient.read(vhd);
		String id = this.client.addImage(ALICE, "web", vhd);

		// when
		JsonNode task = this.client.runTask(ALICE, exportTask(id, "exports"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		assertThat(task.path("result").path("export_location").asText()).isEqualTo("exports/" + id + ".vhd");
		String listing = this.client.get(this.client.files(ALICE, "/exports")).text();
		assertThat(listing.split("\n")).containsExactly(id + ".vhd", id + ".vhd-00001", id + ".vhd-00002",
				id + ".vhd-00003", id + ".vhd-00004");
		StringBuilder etags = new StringBuilder();
		for (int i = 1; i <= 4; i++) {
			SimulatorClient.Response segment = this.client
				.get(this.client.files(ALICE, "/exports/" + id + ".vhd-0000" + i));
			byte[] expected = Arrays.copyOfRange(image, (int) ((i - 1) * MIB), (int) Math.min(i * MIB, image.length));
			assertThat(segment.body().length).isEqualTo((i < 4) ? (int) MIB : 512);
			assertThat(segment.body()).isEqualTo(expected);
			assertThat(segment.header("ETag").replace("\"", "")).isEqualTo(SimulatorClient.md5(expected));
			etags.append(SimulatorClient.md5(expected));
		}
		SimulatorClient.Response manifest = this.client
			.call("HEAD", this.client.files(ALICE, "/exports/" + id + ".vhd"))
			.as(ALICE)
			.send();
		assertThat(manifest.status()).isEqualTo(200);
		assertThat(manifest.header("X-Object-Manifest")).isEqualTo("exports/" + id + ".vhd-");
		assertThat(manifest.header("Content-Length")).isEqualTo(Integer.toString(image.length));
		assertThat(manifest.header("ETag")).isEqualTo('"' + SimulatorClient.md5(etags.toString()) + '"');
		JsonNode manifestEntry = null;
		for (JsonNode o : this.client.get(this.client.files(ALICE, "/exports?format=json")).json()) {
			if (o.path("name").asText().equals(id + ".vhd")) {
				manifestEntry = o;
			}
		}
		assertThat(manifestEntry.path("bytes").asLong()).isZero();
	}

	@Test
	void aGetOfTheManifestStreamsTheImage() {
		// given
		SyntheticVhd vhd = SyntheticVhd.dynamic(6 * MIB, 8, 1);
		String id = this.client.addImage(ALICE, "web", vhd);
		this.client.runTask(ALICE, exportTask(id, "exports"));

		// when
		SimulatorClient.Response r = this.client.get(this.client.files(ALICE, "/exports/" + id + ".vhd"));

		// then
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.body().length).isEqualTo((int) vhd.length());
		assertThat(SimulatorClient.md5(r.body())).isEqualTo(SimulatorClient.md5(SimulatorClient.read(vhd)));
	}

	@Test
	void anUnknownImageFails() {
		// when
		JsonNode task = this.client.runTask(ALICE, exportTask("00000000-0000-4000-8000-000000000000", "exports"));

		// then
		assertFailed(task);
	}

	@Test
	void anotherTenantsImageFails() {
		// given
		String bobs = this.client.addImage(BOB, "bobs", SyntheticVhd.fixed(MIB, 1));
		String bobsPublic = this.client.cloud
			.addImage(ImageSeed.of(REGION, BOB, "public", SyntheticVhd.fixed(MIB, 2)).withVisibility("public"));

		// when
		JsonNode privateTask = this.client.runTask(ALICE, exportTask(bobs, "exports"));
		JsonNode publicTask = this.client.runTask(ALICE, exportTask(bobsPublic, "exports"));

		// then
		assertFailed(privateTask);
		assertFailed(publicTask);
		assertThat(this.client.cloud.inspect().objects(REGION, ALICE)).isEmpty();
	}

	@Test
	void anImageWhoseOptionsAreNotZeroFails() {
		// given
		String id = this.client.cloud.addImage(ImageSeed.of(REGION, ALICE, "rhel", SyntheticVhd.fixed(MIB, 1))
			.withMetadata(0, 0, List.of(), Map.of("com.rackspace__1__options", "1")));

		// when
		JsonNode task = this.client.runTask(ALICE, exportTask(id, "exports"));

		// then
		assertFailed(task);
	}

	@Test
	void aMissingContainerFails() {
		// given
		String id = this.client.addVhdImage("web", 2, 1);

		// when
		JsonNode task = this.client.runTask(ALICE, exportTask(id, "nowhere"));

		// then
		assertFailed(task);
	}

	@Test
	void aContainerNameWithSlashQuestionMarkOrPeriodFails() {
		// given
		String id = this.client.addVhdImage("web", 2, 1);
		this.client.createContainer(ALICE, "my.exports");
		this.client.createContainer(ALICE, "what?");

		// when
		List<JsonNode> tasks = new ArrayList<>();
		for (String container : List.of("my.exports", "what?", "exports/sub")) {
			tasks.add(this.client.runTask(ALICE, exportTask(id, container)));
		}

		// then
		tasks.forEach(this::assertFailed);
		assertThat(this.client.cloud.inspect().objects(REGION, ALICE)).isEmpty();
	}

	@Test
	void anExistingObjectOfTheSameNameFailsWithRackspacesMessage() {
		// given
		String id = this.client.addVhdImage("web", 2, 1);
		this.client.runTask(ALICE, exportTask(id, "exports"));

		// when
		JsonNode again = this.client.runTask(ALICE, exportTask(id, "exports"));

		// then
		assertThat(again.path("status").asText()).isEqualTo("failure");
		assertThat(again.path("message").asText())
			.isEqualTo("Swift already has an object with id '" + id + ".vhd' in container 'exports'");
	}

	@Test
	void aForcedFailureFailsWithItsMessage() {
		// given
		String id = this.client.addVhdImage("web", 2, 1);
		this.client.cloud.faults(Faults.builder().forcedExportFailures(Map.of(id, "Export failed: injected")).build());

		// when
		JsonNode task = this.client.runTask(ALICE, exportTask(id, "exports"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("failure");
		assertThat(task.path("message").asText()).isEqualTo("Export failed: injected");
		assertThat(task.has("result")).isFalse();
		assertThat(this.client.cloud.inspect().objects(REGION, ALICE)).isEmpty();
	}

	private void assertFailed(JsonNode task) {
		assertThat(task.path("status").asText()).isEqualTo("failure");
		assertThat(task.path("message").asText()).isNotEmpty().isNotEqualTo("None");
		assertThat(task.has("result")).isFalse();
		assertThat(task.has("expires_at")).isTrue();
	}

}

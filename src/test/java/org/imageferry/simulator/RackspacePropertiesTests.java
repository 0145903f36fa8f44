package org.imageferry.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;
import static org.imageferry.simulator.SimulatorClient.exportTask;
import static org.imageferry.simulator.SimulatorClient.importTask;

/**
 * The properties images are born with: a seeded image is a customer's snapshot as
 * Rackspace shows one, an imported image carries Rackspace's import defaults.
 */
class RackspacePropertiesTests {

	private SimulatorClient client;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	private JsonNode image(String id) {
		return this.client.get(this.client.images("/images/" + id)).json();
	}

	@Test
	void aSeededImageIsACustomersSnapshotWithRackspacesProperties() {
		// given
		String id = this.client.addImage(ALICE, "web", SyntheticVhd.fixed(MIB, 1));

		// when
		JsonNode image = image(id);

		// then
		assertThat(image.path("com.rackspace__1__options").asText()).isEqualTo("0");
		assertThat(image.path("com.rackspace__1__source").asText()).isEqualTo("kickstart");
		assertThat(image.path("com.rackspace__1__release_id").asText()).isNotEmpty();
		assertThat(image.path("image_type").asText()).isEqualTo("snapshot");
		assertThat(image.path("os_type").asText()).isEqualTo("linux");
		assertThat(image.path("os_distro").asText()).isEqualTo("ubuntu");
		assertThat(image.path("org.openstack__1__os_distro").asText()).isEqualTo("com.ubuntu");
		assertThat(image.path("org.openstack__1__os_version").asText()).isEqualTo("22.04");
		assertThat(image.path("org.openstack__1__architecture").asText()).isEqualTo("x64");
		assertThat(image.path("vm_mode").asText()).isEqualTo("hvm");
		assertThat(image.path("auto_disk_config").asText()).isEqualTo("disabled");
		assertThat(image.path("cache_in_nova").asText()).isEqualTo("True");
		assertThat(image.path("xenapi_use_agent").asText()).isEqualTo("True");
		assertThat(image.path("min_disk").asInt()).isEqualTo(ImageSeed.DEFAULT_MIN_DISK);
		assertThat(image.path("min_ram").asInt()).isEqualTo(ImageSeed.DEFAULT_MIN_RAM);
		assertThat(image.path("instance_uuid").asText())
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(image.path("base_image_ref").asText()).isEqualTo(RackspaceProperties.BASE_IMAGE);
		assertThat(image.path("user_id").asText()).isEqualTo("user-" + ALICE);
	}

	@Test
	void eachSnapshotNamesItsOwnServerDerivedFromItsId() {
		// given
		ImageSeed seed = ImageSeed.of(REGION, ALICE, "web", SyntheticVhd.fixed(MIB, 1));
		String one = "11111111-1111-4111-8111-111111111111";
		String two = "22222222-2222-4222-8222-222222222222";

		// when
		JsonNode first = image(this.client.cloud.addImage(seed.withId(one)));
		JsonNode second = image(this.client.cloud.addImage(seed.withId(two)));

		// then
		assertThat(first.path("instance_uuid").asText())
			.isEqualTo(RackspaceProperties.snapshot(one, ALICE).get("instance_uuid"));
		assertThat(second.path("instance_uuid")).isNotEqualTo(first.path("instance_uuid"));
		assertThat(second.path("base_image_ref")).isEqualTo(first.path("base_image_ref"));
	}

	@Test
	void aSeedsOwnPropertiesAndMetadataOverrideRackspacesDefaults() {
		// given
		ImageSeed seed = ImageSeed.of(REGION, ALICE, "win", SyntheticVhd.fixed(MIB, 2))
			.withMetadata(40, 2048, List.of("w"),
					Map.of("os_type", "windows", "com.rackspace__1__options", "1", "app", "iis"));

		// when
		JsonNode image = image(this.client.cloud.addImage(seed));

		// then
		assertThat(image.path("os_type").asText()).isEqualTo("windows");
		assertThat(image.path("com.rackspace__1__options").asText()).isEqualTo("1");
		assertThat(image.path("app").asText()).isEqualTo("iis");
		assertThat(image.path("image_type").asText()).isEqualTo("snapshot");
		assertThat(image.path("min_disk").asInt()).isEqualTo(40);
		assertThat(image.path("min_ram").asInt()).isEqualTo(2048);
	}

	@Test
	void anImageSeededThroughTheAdminEndpointHasThemToo() throws Exception {
		// given
		String seed = """
				{"region": "DFW", "tenant": "100001", "name": "admin-seeded", "kind": "fixed",
				 "virtual_size": 1048576, "properties": {"os_distro": "debian"}}""";

		// when
		HttpResponse<String> created = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.client.cloud.adminUrl() + "/images"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(seed))
				.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode image = image(SimulatorClient.JSON.readTree(created.body()).path("id").asText());

		// then
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(image.path("os_distro").asText()).isEqualTo("debian");
		assertThat(image.path("image_type").asText()).isEqualTo("snapshot");
		assertThat(image.path("org.openstack__1__architecture").asText()).isEqualTo("x64");
		assertThat(image.path("min_disk").asInt()).isEqualTo(ImageSeed.DEFAULT_MIN_DISK);
	}

	@Test
	void anImportedImageCarriesRackspacesImportDefaults() {
		// given
		this.client.createContainer(ALICE, "exports");
		String source = this.client.addImage(ALICE, "web", SyntheticVhd.dynamic(4 * MIB, 3));
		this.client.runTask(ALICE, exportTask(source, "exports"));

		// when
		JsonNode task = this.client.runTask(ALICE, importTask("exports/" + source + ".vhd", "web-copy"));
		JsonNode image = image(task.path("result").path("image_id").asText());

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		assertThat(image.path("image_type").asText()).isEqualTo("import");
		assertThat(image.path("os_type").asText()).isEqualTo("linux");
		assertThat(image.path("auto_disk_config").asText()).isEqualTo("False");
		assertThat(image.path("container_format").asText()).isEqualTo("ovf");
		assertThat(image.path("disk_format").asText()).isEqualTo("vhd");
		assertThat(image.path("visibility").asText()).isEqualTo("private");
		assertThat(image.path("com.rackspace__1__options").asText()).isEqualTo("0");
		assertThat(image.has("instance_uuid") || image.has("os_distro") || image.has("user_id")).isFalse();
	}

}

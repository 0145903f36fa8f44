package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

class ImagesApiTests {

	private static final String PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

	private SimulatorClient client;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	private String seedWebImage() {
		return this.client.cloud.addImage(ImageSeed.of(REGION, ALICE, "web-01", SyntheticVhd.dynamic(4 * MIB, 1))
			.withMetadata(20, 512, List.of("web", "prod"), Map.of("os_distro", "ubuntu")));
	}

	private SimulatorClient.Response patch(String id, String contentType, String body) {
		return this.client.call("PATCH", this.client.images("/images/" + id)).as(ALICE).text(body, contentType).send();
	}

	@Test
	void getShowsGlanceFieldsAndRackspaceProperties() {
		// given
		String id = seedWebImage();

		// when
		SimulatorClient.Response r = this.client.get(this.client.images("/images/" + id));

		// then
		assertThat(r.status()).isEqualTo(200);
		JsonNode image = r.json();
		assertThat(image.path("id").asText()).isEqualTo(id);
		assertThat(image.path("name").asText()).isEqualTo("web-01");
		assertThat(image.path("status").asText()).isEqualTo("active");
		assertThat(image.path("visibility").asText()).isEqualTo("private");
		assertThat(image.path("owner").asText()).isEqualTo(ALICE);
		assertThat(image.path("size").asLong()).isEqualTo(SyntheticVhd.dynamic(4 * MIB, 1).length());
		assertThat(image.path("min_disk").asInt()).isEqualTo(20);
		assertThat(image.path("min_ram").asInt()).isEqualTo(512);
		assertThat(image.path("tags")).extracting(JsonNode::asText).containsExactly("web", "prod");
		assertThat(image.path("com.rackspace__1__options").asText()).isEqualTo("0");
		assertThat(image.path("os_distro").asText()).isEqualTo("ubuntu");
		assertThat(image.path("disk_format").asText()).isEqualTo("vhd");
		assertThat(image.path("self").asText()).isEqualTo("/v2/images/" + id);
		assertThat(image.path("file").asText()).isEqualTo("/v2/images/" + id + "/file");
		assertThat(image.path("schema").asText()).isEqualTo("/v2/schemas/image");
		assertThat(image.has("created_at") && image.has("updated_at") && image.has("container_format")
				&& image.has("checksum"))
			.isTrue();
	}

	@Test
	void anotherTenantsPrivateImageIsNotFound() {
		// given
		String bobs = this.client.addImage(BOB, "bobs", SyntheticVhd.fixed(MIB, 2));

		// when
		SimulatorClient.Response r = this.client.get(this.client.images("/images/" + bobs));
		SimulatorClient.Response list = this.client.get(this.client.images("/images"));

		// then
		assertThat(r.status()).isEqualTo(404);
		assertThat(list.json().path("images")).isEmpty();
	}

	@Test
	void anImageIsSeenOnlyInItsRegion() {
		// given
		String id = seedWebImage();

		// when
		SimulatorClient.Response r = this.client.call("GET", this.client.cloud.imagesUrl("ORD") + "/images/" + id)
			.as(ALICE)
			.send();

		// then
		assertThat(r.status()).isEqualTo(404);
	}

	@Test
	void listPagesWithLimitMarkerAndNext() {
		// given
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(this.client.addImage(ALICE, "img-" + i, SyntheticVhd.fixed(MIB, i)));
		}

		// when
		List<String> seen = new ArrayList<>();
		String url = this.client.images("/images?limit=2");
		int pages = 0;
		while (url != null) {
			JsonNode page = this.client.get(url).json();
			assertThat(page.path("images").size()).isLessThanOrEqualTo(2);
			page.path("images").forEach((i) -> seen.add(i.path("id").asText()));
			url = page.has("next") ? this.client.cloud.imagesUrl(REGION) + page.path("next").asText().substring(3)
					: null;
			pages++;
		}

		// then
		assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
		assertThat(pages).isBetween(3, 4);
	}

	@Test
	void listFiltersOnFieldsAndProperties() {
		// given
		String web = seedWebImage();
		seed("db-01", Map.of("os_distro", "centos"));

		// when
		JsonNode byProperty = this.client.get(this.client.images("/images?os_distro=ubuntu")).json();
		JsonNode byName = this.client.get(this.client.images("/images?name=db-01")).json();
		JsonNode byTag = this.client.get(this.client.images("/images?tag=prod")).json();
		JsonNode none = this.client.get(this.client.images("/images?os_distro=windows")).json();

		// then
		assertThat(byProperty.path("images")).extracting((i) -> i.path("id").asText()).containsExactly(web);
		assertThat(byName.path("images")).extracting((i) -> i.path("name").asText()).containsExactly("db-01");
		assertThat(byTag.path("images")).extracting((i) -> i.path("id").asText()).containsExactly(web);
		assertThat(none.path("images")).isEmpty();
	}

	@Test
	void aPropertyFilterFollowsPatchesAndDeletes() {
		// given
		String a = seed("a", Map.of("color", "red"));
		String b = seed("b", Map.of("color", "blue"));

		// when / then
		assertThat(listed("?color=red")).containsExactly(a);
		assertThat(patch(a, PATCH_TYPE, "[{\"op\":\"replace\",\"path\":\"/color\",\"value\":\"blue\"}]").status())
			.isEqualTo(200);
		assertThat(listed("?color=red")).isEmpty();
		assertThat(listed("?color=blue")).containsExactly(a, b);
		assertThat(patch(a, PATCH_TYPE, "[{\"op\":\"remove\",\"path\":\"/color\"}]").status()).isEqualTo(200);
		assertThat(listed("?color=blue")).containsExactly(b);
		assertThat(patch(a, PATCH_TYPE, "[{\"op\":\"add\",\"path\":\"/color\",\"value\":\"red\"},"
				+ "{\"op\":\"remove\",\"path\":\"/nothing\"}]")
			.status()).isEqualTo(409);
		assertThat(listed("?color=red")).isEmpty();
		assertThat(patch(a, PATCH_TYPE, "[{\"op\":\"add\",\"path\":\"/color\",\"value\":\"red\"}]").status())
			.isEqualTo(200);
		assertThat(listed("?color=red")).containsExactly(a);
		assertThat(this.client.call("DELETE", this.client.images("/images/" + a)).as(ALICE).send().status())
			.isEqualTo(204);
		assertThat(listed("?color=red")).isEmpty();
		assertThat(listed("?color=blue")).containsExactly(b);
	}

	@Test
	void aPropertyFilterIsRightAfterConcurrentPatches() throws Exception {
		// given
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(seed("img-" + i, Map.of("color", "red")));
		}
		List<String> colors = List.of("red", "green", "blue");
		this.client.token(ALICE);

		// when: 8 threads recolour random images 40 times each, listing as they go
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			Random random = new Random(t);
			workers.add(pool.submit(() -> {
				for (int n = 0; n < 40; n++) {
					String color = colors.get(random.nextInt(colors.size()));
					patch(ids.get(random.nextInt(ids.size())), PATCH_TYPE,
							"[{\"op\":\"replace\",\"path\":\"/color\",\"value\":\"" + color + "\"}]");
					listed("?color=" + color);
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();

		// then
		for (String color : colors) {
			List<String> having = ids.stream()
				.filter((id) -> this.client.get(this.client.images("/images/" + id))
					.json()
					.path("color")
					.asText()
					.equals(color))
				.toList();
			assertThat(listed("?color=" + color)).as(color).containsExactlyInAnyOrderElementsOf(having);
		}
	}

	@Test
	void aFilteredListingPagesLikeTheUnfilteredOne() {
		// given: 60 images, every third in batch b1, and b1 images of bob's and in ORD
		for (int i = 0; i < 60; i++) {
			seed("img-" + i, (i % 3 == 0) ? Map.of("batch", "b1") : Map.of("batch", "b2"));
		}
		this.client.cloud.addImage(ImageSeed.of(REGION, BOB, "bobs", SyntheticVhd.fixed(MIB, 1))
			.withMetadata(0, 0, List.of(), Map.of("batch", "b1")));
		this.client.cloud.addImage(ImageSeed.of("ORD", ALICE, "elsewhere", SyntheticVhd.fixed(MIB, 1))
			.withMetadata(0, 0, List.of(), Map.of("batch", "b1")));
		List<String> all = listed("?limit=1000");
		JsonNode everything = this.client.get(this.client.images("/images?limit=1000")).json();
		List<String> b1 = new ArrayList<>();
		List<String> b2 = new ArrayList<>();
		List<String> named9 = new ArrayList<>();
		everything.path("images").forEach((i) -> {
			(i.path("batch").asText().equals("b1") ? b1 : b2).add(i.path("id").asText());
			if (i.path("name").asText().equals("img-9")) {
				named9.add(i.path("id").asText());
			}
		});

		// when
		List<String> paged = new ArrayList<>();
		String url = this.client.images("/images?batch=b1&limit=7");
		while (url != null) {
			JsonNode page = this.client.get(url).json();
			page.path("images").forEach((i) -> paged.add(i.path("id").asText()));
			assertThat(page.has("next")).isEqualTo(page.path("images").size() == 7);
			url = page.has("next") ? this.client.cloud.imagesUrl(REGION) + page.path("next").asText().substring(3)
					: null;
		}
		List<String> afterFifth = listed("?batch=b1&limit=3&marker=" + b1.get(4));
		List<String> withName = listed("?batch=b1&name=img-9");
		int outsideTheFilter = this.client.get(this.client.images("/images?batch=b1&marker=" + b2.get(0))).status();
		int unknown = this.client.get(this.client.images("/images?marker=no-such-image")).status();

		// then
		assertThat(all).hasSize(60);
		assertThat(b1).hasSize(20);
		assertThat(paged).containsExactlyElementsOf(b1);
		assertThat(afterFifth).containsExactlyElementsOf(b1.subList(5, 8));
		assertThat(withName).containsExactlyElementsOf(named9).hasSize(1);
		assertThat(outsideTheFilter).isEqualTo(400);
		assertThat(unknown).isEqualTo(400);
	}

	private String seed(String name, Map<String, String> properties) {
		return this.client.cloud.addImage(ImageSeed.of(REGION, ALICE, name, SyntheticVhd.fixed(MIB, 1))
			.withMetadata(0, 0, List.of(), properties));
	}

	private List<String> listed(String query) {
		List<String> ids = new ArrayList<>();
		this.client.get(this.client.images("/images" + query))
			.json()
			.path("images")
			.forEach((i) -> ids.add(i.path("id").asText()));
		return ids;
	}

	@Test
	void patchAddsReplacesAndRemoves() {
		// given
		String id = seedWebImage();
		String ops = """
				[{"op":"replace","path":"/name","value":"web-02"},
				 {"op":"replace","path":"/tags","value":["web","migrated"]},
				 {"op":"replace","path":"/min_disk","value":40},
				 {"op":"add","path":"/my_property","value":"x"},
				 {"op":"replace","path":"/os_distro","value":"debian"}]""";

		// when
		SimulatorClient.Response r = patch(id, PATCH_TYPE, ops);
		SimulatorClient.Response removed = patch(id, PATCH_TYPE, "[{\"op\":\"remove\",\"path\":\"/my_property\"}]");

		// then
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.json().path("name").asText()).isEqualTo("web-02");
		assertThat(r.json().path("tags")).extracting(JsonNode::asText).containsExactly("web", "migrated");
		assertThat(r.json().path("min_disk").asInt()).isEqualTo(40);
		assertThat(r.json().path("my_property").asText()).isEqualTo("x");
		assertThat(r.json().path("os_distro").asText()).isEqualTo("debian");
		assertThat(removed.status()).isEqualTo(200);
		JsonNode after = this.client.get(this.client.images("/images/" + id)).json();
		assertThat(after.has("my_property")).isFalse();
		assertThat(after.path("name").asText()).isEqualTo("web-02");
	}

	@Test
	void patchWithAnotherMediaTypeIs415() {
		// given
		String id = seedWebImage();
		String ops = "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]";

		// when
		SimulatorClient.Response v20 = patch(id, "application/openstack-images-v2.0-json-patch", ops);
		SimulatorClient.Response json = patch(id, "application/json", ops);
		SimulatorClient.Response jsonPatch = patch(id, "application/json-patch+json", ops);

		// then
		assertThat(List.of(v20, json, jsonPatch)).extracting(SimulatorClient.Response::status).containsOnly(415);
		assertThat(this.client.get(this.client.images("/images/" + id)).json().path("name").asText())
			.isEqualTo("web-01");
	}

	@Test
	void rackspacePropertiesAreProtected() {
		// given
		String id = seedWebImage();

		// when
		SimulatorClient.Response replace = patch(id, PATCH_TYPE,
				"[{\"op\":\"replace\",\"path\":\"/com.rackspace__1__options\",\"value\":\"1\"}]");
		SimulatorClient.Response add = patch(id, PATCH_TYPE,
				"[{\"op\":\"add\",\"path\":\"/com.rackspace__1__source\",\"value\":\"import\"}]");

		// then
		assertThat(replace.status()).isEqualTo(403);
		assertThat(add.status()).isEqualTo(403);
		assertThat(
				this.client.get(this.client.images("/images/" + id)).json().path("com.rackspace__1__options").asText())
			.isEqualTo("0");
	}

	@Test
	void readOnlyAttributesAreForbidden() {
		// given
		String id = seedWebImage();

		// when
		List<Integer> statuses = new ArrayList<>();
		for (String attribute : List.of("id", "status", "owner", "size", "checksum", "created_at", "self")) {
			statuses.add(patch(id, PATCH_TYPE, "[{\"op\":\"replace\",\"path\":\"/" + attribute + "\",\"value\":\"x\"}]")
				.status());
		}

		// then
		assertThat(statuses).containsOnly(403);
	}

	@Test
	void aFailingOperationLeavesTheImageUnchanged() {
		// given
		String id = seedWebImage();
		JsonNode before = this.client.get(this.client.images("/images/" + id)).json();
		String ops = """
				[{"op":"replace","path":"/name","value":"renamed"},
				 {"op":"add","path":"/tags","value":["x"]},
				 {"op":"replace","path":"/owner","value":"100002"}]""";

		// when
		SimulatorClient.Response r = patch(id, PATCH_TYPE, ops);

		// then
		assertThat(r.status()).isEqualTo(403);
		assertThat(this.client.get(this.client.images("/images/" + id)).json()).isEqualTo(before);
	}

	@Test
	void anotherTenantCannotPatchAPublicImage() {
		// given
		String id = this.client.cloud
			.addImage(ImageSeed.of(REGION, BOB, "public", SyntheticVhd.fixed(MIB, 4)).withVisibility("public"));

		// when
		SimulatorClient.Response get = this.client.get(this.client.images("/images/" + id));
		SimulatorClient.Response r = patch(id, PATCH_TYPE, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]");

		// then
		assertThat(get.status()).isEqualTo(200);
		assertThat(r.status()).isEqualTo(403);
	}

	@Test
	void requestsWithoutAValidTokenAre401() {
		// given
		String id = seedWebImage();

		// when
		SimulatorClient.Response none = this.client.call("GET", this.client.images("/images/" + id)).send();
		SimulatorClient.Response bad = this.client.call("GET", this.client.images("/images/" + id))
			.token("not-a-token")
			.send();

		// then
		assertThat(none.status()).isEqualTo(401);
		assertThat(bad.status()).isEqualTo(401);
	}

	@Test
	void schemasAreServed() {
		// when
		SimulatorClient.Response image = this.client.get(this.client.images("/schemas/image"));
		SimulatorClient.Response unknown = this.client.get(this.client.images("/schemas/nope"));

		// then
		assertThat(image.status()).isEqualTo(200);
		assertThat(image.json().path("name").asText()).isEqualTo("image");
		assertThat(unknown.status()).isEqualTo(404);
	}

}

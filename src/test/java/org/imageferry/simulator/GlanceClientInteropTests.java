package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Cloud Images v2 against {@code glance} (python3-glanceclient), a client
 * no one here wrote: it fetches the simulator's schemas, validates what it receives
 * against them and follows {@code next} links, so what it prints is what a real Glance
 * client would make of the simulator.
 */
class GlanceClientInteropTests {

	private static final String REGION = "IAD";

	private SimulatedCloud cloud;

	private InteropClients clients;

	private String token;

	@BeforeEach
	void startCloud() throws Exception {
		this.cloud = InteropClients.startCloud();
		this.clients = new InteropClients(this.cloud, REGION);
		this.token = this.clients.token();
		this.cloud.createContainer(REGION, InteropClients.ALICE_TENANT, "exports");
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	@Test
	void imageShowPrintsTheImage() {
		// given
		SyntheticVhd vhd = SyntheticVhd.fixed(4L * 1024 * 1024, 1);
		String imageId = this.cloud.addImage(ImageSeed.of(REGION, InteropClients.ALICE_TENANT, "db-1", vhd)
			.withMetadata(20, 1024, List.of("prod"), Map.of("os_distro", "debian")));

		// when
		Map<String, String> image = InteropClients.properties(this.clients.glanceOk(this.token, "image-show", imageId));

		// then
		assertThat(image).containsEntry("id", imageId)
			.containsEntry("name", "db-1")
			.containsEntry("status", "active")
			.containsEntry("visibility", "private")
			.containsEntry("owner", InteropClients.ALICE_TENANT)
			.containsEntry("size", Long.toString(vhd.length()))
			.containsEntry("disk_format", "vhd")
			.containsEntry("container_format", "ovf")
			.containsEntry("min_disk", "20")
			.containsEntry("min_ram", "1024")
			.containsEntry("tags", "[\"prod\"]")
			.containsEntry("os_distro", "debian")
			.containsEntry("com.rackspace__1__options", "0");
	}

	@Test
	void exportTaskCreatedAndShownByGlance() throws Exception {
		// given
		String imageId = this.cloud.addImage(
				ImageSeed.of(REGION, InteropClients.ALICE_TENANT, "web-1", SyntheticVhd.dynamic(16L * 1024 * 1024, 2)));

		// when
		Map<String, String> created = InteropClients
			.properties(this.clients.glanceOk(this.token, "task-create", "--type", "export", "--input",
					"{\"image_uuid\": \"" + imageId + "\", \"receiving_swift_container\": \"exports\"}"));
		String taskId = created.get("id");
		this.clients.awaitEnd(taskId);
		Map<String, String> shown = InteropClients.properties(this.clients.glanceOk(this.token, "task-show", taskId));

		// then
		assertThat(created).containsEntry("type", "export")
			.containsEntry("status", "pending")
			.containsEntry("message", "None")
			.containsEntry("owner", InteropClients.ALICE_TENANT)
			.doesNotContainKeys("result", "expires_at");
		assertThat(InteropClients.json(created.get("input")).path("image_uuid").asText()).isEqualTo(imageId);
		assertThat(shown).containsEntry("id", taskId)
			.containsEntry("type", "export")
			.containsEntry("status", "success")
			.containsEntry("message", "None")
			.containsKey("expires_at");
		assertThat(InteropClients.json(shown.get("result")).path("export_location").asText())
			.isEqualTo("exports/" + imageId + ".vhd");
		assertThat(InteropClients.json(shown.get("input")).path("receiving_swift_container").asText())
			.isEqualTo("exports");
		assertThat(this.cloud.inspect().objects(REGION, InteropClients.ALICE_TENANT))
			.anySatisfy((o) -> assertThat(o.name()).isEqualTo(imageId + ".vhd"));
	}

	@Test
	void importTaskCreatedByGlanceMakesTheImage() throws Exception {
		// given
		SyntheticVhd vhd = SyntheticVhd.dynamic(16L * 1024 * 1024, 3);
		String sourceId = this.cloud.addImage(ImageSeed.of(REGION, InteropClients.ALICE_TENANT, "web-2", vhd));
		this.clients.awaitSuccess(this.clients.export(this.token, sourceId, "exports"));

		// when
		Map<String, String> created = InteropClients.properties(this.clients.glanceOk(this.token, "task-create",
				"--type", "import", "--input", "{\"import_from\": \"exports/" + sourceId
						+ ".vhd\", \"image_properties\": {\"name\": \"web-2 copy\"}}"));
		this.clients.awaitEnd(created.get("id"));
		Map<String, String> shown = InteropClients
			.properties(this.clients.glanceOk(this.token, "task-show", created.get("id")));

		// then
		assertThat(created).containsEntry("type", "import").containsEntry("status", "pending");
		assertThat(shown).containsEntry("status", "success").containsEntry("message", "None");
		String imageId = InteropClients.json(shown.get("result")).path("image_id").asText();
		assertThat(imageId).isNotEmpty().isNotEqualTo(sourceId);
		assertThat(this.cloud.inspect().images()).filteredOn((i) -> i.id().equals(imageId))
			.singleElement()
			.satisfies((i) -> {
				assertThat(i.name()).isEqualTo("web-2 copy");
				assertThat(i.region()).isEqualTo(REGION);
				assertThat(i.size()).isEqualTo(vhd.length());
			});
		assertThat(InteropClients.properties(this.clients.glanceOk(this.token, "image-show", imageId)))
			.containsEntry("name", "web-2 copy")
			.containsEntry("status", "active");
	}

	@Test
	void taskListPagesAndFilters() throws Exception {
		// given
		List<String> exports = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			String imageId = this.cloud.addImage(
					ImageSeed.of(REGION, InteropClients.ALICE_TENANT, "app-" + i, SyntheticVhd.fixed(1024 * 1024, i)));
			exports.add(this.clients.export(this.token, imageId, "exports"));
		}
		List<String> failedImports = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			failedImports.add(this.clients.ingest(this.token, "exports/missing-" + i + ".vhd", "missing-" + i));
		}
		List<String> all = new ArrayList<>(exports);
		all.addAll(failedImports);
		for (String id : all) {
			this.clients.awaitEnd(id);
		}
		int listsBefore = taskListRequests();

		// when
		List<List<String>> everything = taskList("--page-size", "2");
		int pagesRead = taskListRequests() - listsBefore;
		List<List<String>> imports = taskList("--type", "import", "--page-size", "2");
		List<List<String>> failures = taskList("--status", "failure", "--page-size", "2");
		List<List<String>> successfulExports = taskList("--type", "export", "--status", "success");
		List<List<String>> byId = taskList("--sort-key", "id", "--sort-dir", "asc", "--page-size", "2");

		// then
		assertThat(everything).extracting((row) -> row.get(0)).containsExactlyInAnyOrderElementsOf(all);
		assertThat(everything).allSatisfy((row) -> assertThat(row.get(3)).isEqualTo(InteropClients.ALICE_TENANT));
		assertThat(pagesRead).as("five tasks, two a page: three pages, the last one short").isEqualTo(3);
		assertThat(imports).extracting((row) -> row.get(0)).containsExactlyInAnyOrderElementsOf(failedImports);
		assertThat(imports).allSatisfy((row) -> assertThat(row.get(1)).isEqualTo("import"));
		assertThat(failures).extracting((row) -> row.get(0)).containsExactlyInAnyOrderElementsOf(failedImports);
		assertThat(failures).allSatisfy((row) -> assertThat(row.get(2)).isEqualTo("failure"));
		assertThat(successfulExports).extracting((row) -> row.get(0)).containsExactlyInAnyOrderElementsOf(exports);
		assertThat(byId).extracting((row) -> row.get(0)).isSorted().hasSize(5);
	}

	/** {@code glance task-list} rows: ID, Type, Status, Owner. */
	private List<List<String>> taskList(String... options) {
		List<String> arguments = new ArrayList<>(List.of("task-list"));
		arguments.addAll(List.of(options));
		List<List<String>> rows = InteropClients
			.rows(this.clients.glanceOk(this.token, arguments.toArray(String[]::new)));
		assertThat(rows).first().isEqualTo(List.of("ID", "Type", "Status", "Owner"));
		return rows.subList(1, rows.size());
	}

	private int taskListRequests() {
		return (int) this.cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("GET") && r.path().equals("/images/" + REGION + "/v2/tasks"))
			.count();
	}

}

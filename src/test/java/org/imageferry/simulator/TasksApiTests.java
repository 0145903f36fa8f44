package org.imageferry.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.BOB;
import static org.imageferry.simulator.SimulatorClient.REGION;
import static org.imageferry.simulator.SimulatorClient.exportTask;
import static org.imageferry.simulator.SimulatorClient.importTask;

class TasksApiTests {

	private SimulatorClient client;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
	}

	private SimulatorClient startWithExportableImage() {
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "exports");
		return this.client;
	}

	@Test
	void aCreatedTaskIsShapedLikeTheSeedExample() {
		// given
		startWithExportableImage();
		String image = this.client.addVhdImage("web", 2, 1);

		// when
		SimulatorClient.Response r = this.client.postTask(ALICE, exportTask(image, "exports"));

		// then
		assertThat(r.status()).isEqualTo(201);
		JsonNode task = r.json();
		List<String> keys = new ArrayList<>();
		task.fieldNames().forEachRemaining(keys::add);
		assertThat(keys).containsExactly("created_at", "id", "input", "message", "owner", "schema", "self", "status",
				"type", "updated_at");
		String id = task.path("id").asText();
		assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(task.path("input").path("image_uuid").asText()).isEqualTo(image);
		assertThat(task.path("input").path("receiving_swift_container").asText()).isEqualTo("exports");
		assertThat(task.path("message").asText()).isEqualTo("None");
		assertThat(task.path("owner").asText()).isEqualTo(ALICE);
		assertThat(task.path("schema").asText()).isEqualTo("/v2/schemas/task");
		assertThat(task.path("self").asText()).isEqualTo("/v2/tasks/" + id);
		assertThat(task.path("status").asText()).isEqualTo("pending");
		assertThat(task.path("type").asText()).isEqualTo("export");
		assertThat(task.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(task.path("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
	}

	@Test
	void aTaskIsAnsweredPendingEvenWhenItEndsAtOnce() {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config().taskLatency(Duration.ZERO, Duration.ZERO).build());

		// when
		List<JsonNode> created = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			created.add(this.client.postTask(ALICE, importTask("exports/gone-" + i + ".vhd", "x")).json());
		}

		// then
		assertThat(created).extracting((t) -> t.path("status").asText()).containsOnly("pending");
		assertThat(created).noneMatch((t) -> t.has("expires_at") || t.has("result"));
		assertThat(created).extracting((t) -> t.path("message").asText()).containsOnly("None");
	}

	@Test
	void anImportTaskEchoesItsInput() {
		// given
		startWithExportableImage();

		// when
		SimulatorClient.Response r = this.client.postTask(ALICE,
				importTask("exports/my-excellent-image.vhd", "My excellent custom image"));

		// then
		assertThat(r.status()).isEqualTo(201);
		assertThat(r.json().path("type").asText()).isEqualTo("import");
		assertThat(r.json().path("input").path("import_from").asText()).isEqualTo("exports/my-excellent-image.vhd");
		assertThat(r.json().path("input").path("image_properties").path("name").asText())
			.isEqualTo("My excellent custom image");
		assertThat(r.json().has("result")).isFalse();
		assertThat(r.json().has("expires_at")).isFalse();
	}

	@Test
	void aTaskGoesFromPendingThroughProcessingToSuccess() {
		// given
		this.client = SimulatorClient
			.start(SimulatorClient.config().taskLatency(Duration.ofMillis(800), Duration.ofMillis(800)).build());
		this.client.createContainer(ALICE, "exports");
		String image = this.client.addVhdImage("web", 2, 1);
		String id = this.client.postTask(ALICE, exportTask(image, "exports")).json().path("id").asText();

		// when
		List<String> seen = new ArrayList<>();
		JsonNode last = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			last = this.client.get(this.client.images("/tasks/" + id)).json();
			String status = last.path("status").asText();
			if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
				seen.add(status);
			}
			if (!last.path("status").asText().matches("pending|processing")) {
				break;
			}
			if (status.equals("pending")) {
				assertThat(last.has("expires_at")).isFalse();
				assertThat(last.has("result")).isFalse();
			}
			SimulatorClient.pause(20);
		}

		// then
		assertThat(seen).containsExactly("pending", "processing", "success");
		assertThat(last.path("message").asText()).isEqualTo("None");
		assertThat(last.path("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(last.path("result").path("export_location").asText()).isEqualTo("exports/" + image + ".vhd");
	}

	@Test
	void aSuccessfulImportReportsTheImageId() {
		// given
		startWithExportableImage();
		String image = this.client.addVhdImage("web", 2, 1);
		this.client.runTask(ALICE, exportTask(image, "exports"));

		// when
		JsonNode task = this.client.runTask(ALICE, importTask("exports/" + image + ".vhd", "copy"));

		// then
		assertThat(task.path("status").asText()).isEqualTo("success");
		assertThat(task.path("message").asText()).isEqualTo("None");
		assertThat(task.has("expires_at")).isTrue();
		assertThat(task.path("result").path("image_id").asText()).isNotEmpty();
	}

	@Test
	void malformedOrIncompleteRequestsAre400() {
		// given
		startWithExportableImage();
		List<String> bodies = List.of("{\"type\":", "[]", "{\"input\":{\"image_uuid\":\"x\"}}",
				"{\"type\":\"copy\",\"input\":{}}", "{\"type\":\"export\"}", "{\"type\":\"export\",\"input\":\"x\"}",
				"{\"type\":\"export\",\"input\":{\"receiving_swift_container\":\"exports\"}}",
				"{\"type\":\"export\",\"input\":{\"image_uuid\":\"abc\"}}",
				"{\"type\":\"import\",\"input\":{\"import_from\":\"exports/a.vhd\"}}",
				"{\"type\":\"import\",\"input\":{\"image_properties\":{\"name\":\"n\"}}}",
				"{\"type\":\"import\",\"input\":{\"image_properties\":{\"name\":\"n\",\"min_disk\":20},"
						+ "\"import_from\":\"exports/a.vhd\"}}");

		// when
		List<Integer> statuses = new ArrayList<>();
		bodies.forEach((body) -> statuses.add(this.client.postTask(ALICE, body).status()));

		// then
		assertThat(statuses).containsOnly(400).hasSize(bodies.size());
		assertThat(this.client.cloud.inspect().tasks()).isEmpty();
	}

	@Test
	void anImportMayCarryImportFromFormat() {
		// given
		startWithExportableImage();

		// when
		SimulatorClient.Response r = this.client.postTask(ALICE,
				"{\"type\":\"import\",\"input\":{\"image_properties\":{\"name\":\"n\"},"
						+ "\"import_from\":\"exports/a.vhd\",\"import_from_format\":\"vhd\"}}");

		// then
		assertThat(r.status()).isEqualTo(201);
	}

	@Test
	void aWrongMediaTypeIs415() {
		// given
		startWithExportableImage();
		String image = this.client.addVhdImage("web", 2, 1);

		// when
		SimulatorClient.Response r = this.client.call("POST", this.client.images("/tasks"))
			.as(ALICE)
			.text(exportTask(image, "exports"), "text/plain")
			.send();

		// then
		assertThat(r.status()).isEqualTo(415);
		assertThat(this.client.cloud.inspect().tasks()).isEmpty();
	}

	@Test
	void otherMethodsAre405AndNoTokenIs401() {
		// given
		startWithExportableImage();

		// when
		SimulatorClient.Response put = this.client.call("PUT", this.client.images("/tasks"))
			.as(ALICE)
			.json("{}")
			.send();
		SimulatorClient.Response anonymous = this.client.call("POST", this.client.images("/tasks"))
			.json(exportTask("x", "exports"))
			.send();

		// then
		assertThat(put.status()).isEqualTo(405);
		assertThat(anonymous.status()).isEqualTo(401);
	}

	@Test
	void theListShowsSparseEntriesFilteredByTypeAndStatus() {
		// given
		startWithExportableImage();
		String image = this.client.addVhdImage("web", 2, 1);
		JsonNode export = this.client.runTask(ALICE, exportTask(image, "exports"));
		JsonNode failed = this.client.runTask(ALICE, importTask("exports/missing.vhd", "x"));

		// when
		JsonNode all = this.client.get(this.client.images("/tasks")).json();
		JsonNode exports = this.client.get(this.client.images("/tasks?type=export")).json();
		JsonNode failures = this.client.get(this.client.images("/tasks?status=failure")).json();
		JsonNode importSuccesses = this.client.get(this.client.images("/tasks?type=import&status=success")).json();

		// then
		assertThat(all.path("tasks")).hasSize(2);
		all.path("tasks").forEach((t) -> {
			assertThat(t.has("input")).isFalse();
			assertThat(t.has("result")).isFalse();
			assertThat(t.has("message")).isFalse();
			assertThat(t.path("self").asText()).isEqualTo("/v2/tasks/" + t.path("id").asText());
			assertThat(t.has("status") && t.has("type") && t.has("owner") && t.has("expires_at")).isTrue();
		});
		assertThat(all.path("schema").asText()).isEqualTo("/v2/schemas/tasks");
		assertThat(all.path("first").asText()).startsWith("/v2/tasks");
		assertThat(exports.path("tasks")).extracting((t) -> t.path("id").asText())
			.containsExactly(export.path("id").asText());
		assertThat(failures.path("tasks")).extracting((t) -> t.path("id").asText())
			.containsExactly(failed.path("id").asText());
		assertThat(importSuccesses.path("tasks")).isEmpty();
	}

	@Test
	void theListPagesWithLimitMarkerAndNextAndSortsBothWays() {
		// given
		startWithExportableImage();
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			created.add(this.client.postTask(ALICE, importTask("exports/missing-" + i + ".vhd", "x"))
				.json()
				.path("id")
				.asText());
		}

		// when
		List<String> paged = new ArrayList<>();
		String url = this.client.images("/tasks?limit=2&sort_dir=asc");
		int pages = 0;
		while (url != null && pages < 10) {
			JsonNode page = this.client.get(url).json();
			assertThat(page.path("tasks").size()).isLessThanOrEqualTo(2);
			page.path("tasks").forEach((t) -> paged.add(t.path("id").asText()));
			url = page.has("next") ? this.client.cloud.imagesUrl(REGION) + page.path("next").asText().substring(3)
					: null;
			pages++;
		}
		List<String> asc = ids(this.client.get(this.client.images("/tasks?sort_dir=asc")).json());
		List<String> desc = ids(this.client.get(this.client.images("/tasks?sort_dir=desc")).json());
		SimulatorClient.Response badDir = this.client.get(this.client.images("/tasks?sort_dir=up"));

		// then
		assertThat(paged).containsExactlyElementsOf(asc);
		assertThat(asc).containsExactlyInAnyOrderElementsOf(created);
		assertThat(desc).containsExactlyElementsOf(reversed(asc));
		assertThat(badDir.status()).isEqualTo(400);
	}

	@Test
	void aListingOfManyTasksPagesInCreatedAtOrderWithTiesById() {
		// given: 230 of alice's tasks in DFW, of both types and outcomes, among bob's and
		// ORD's
		this.client = SimulatorClient.start(SimulatorClient.config().taskLatency(Duration.ZERO, Duration.ZERO).build());
		this.client.createContainer(ALICE, "exports");
		String image = this.client.addVhdImage("web", 2, 1);
		for (int i = 0; i < 230; i++) {
			String body = (i % 10 == 0) ? exportTask(image, "exports") : importTask("exports/gone-" + i + ".vhd", "x");
			assertThat(this.client.postTask(ALICE, body).status()).isEqualTo(201);
			if (i % 50 == 0) {
				this.client.postTask(BOB, importTask("exports/b.vhd", "b"));
				this.client.call("POST", this.client.cloud.imagesUrl("ORD") + "/tasks")
					.as(ALICE)
					.json(importTask("exports/o.vhd", "o"))
					.send();
			}
		}
		awaitNoTaskInFlight();
		List<Inspection.TaskView> alices = this.client.cloud.inspect()
			.tasks()
			.stream()
			.filter((t) -> t.owner().equals(ALICE) && t.region().equals(REGION))
			.toList();

		// when / then
		for (String filter : List.of("", "type=import&", "type=export&", "status=failure&",
				"type=export&status=success&")) {
			for (String dir : List.of("asc", "desc")) {
				for (String limit : List.of("", "limit=7&", "limit=100&")) {
					String query = filter + limit + "sort_dir=" + dir;
					assertThat(pageThrough(query, limit.isEmpty() ? 25 : Integer.parseInt(limit.replaceAll("\\D", ""))))
						.as(query)
						.containsExactlyElementsOf(expectedOrder(alices, filter, dir.equals("desc")));
				}
			}
		}
	}

	@Test
	void aMarkerMustBeATaskTheListingShows() {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config().taskLatency(Duration.ZERO, Duration.ZERO).build());
		List<String> imports = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			imports.add(
					this.client.postTask(ALICE, importTask("exports/a-" + i + ".vhd", "a")).json().path("id").asText());
		}
		String bobs = this.client.postTask(BOB, importTask("exports/b.vhd", "b")).json().path("id").asText();
		awaitNoTaskInFlight();
		List<String> desc = ids(this.client.get(this.client.images("/tasks?limit=100")).json());

		// when
		JsonNode afterTenth = this.client.get(this.client.images("/tasks?limit=5&marker=" + desc.get(9))).json();
		JsonNode afterLast = this.client.get(this.client.images("/tasks?limit=5&marker=" + desc.get(29))).json();
		int unknown = this.client.get(this.client.images("/tasks?marker=9d0a4c4e-0000-4000-8000-000000000000"))
			.status();
		int anotherTenants = this.client.get(this.client.images("/tasks?marker=" + bobs)).status();
		int filteredOut = this.client.get(this.client.images("/tasks?type=export&marker=" + imports.get(3))).status();
		int otherStatus = this.client.get(this.client.images("/tasks?status=success&marker=" + imports.get(3)))
			.status();

		// then
		assertThat(desc).hasSize(30).containsExactlyInAnyOrderElementsOf(imports);
		assertThat(ids(afterTenth)).containsExactlyElementsOf(desc.subList(10, 15));
		assertThat(afterTenth.path("next").asText()).isEqualTo("/v2/tasks?limit=5&marker=" + desc.get(14));
		assertThat(afterTenth.path("first").asText()).isEqualTo("/v2/tasks?limit=5");
		assertThat(ids(afterLast)).isEmpty();
		assertThat(afterLast.has("next")).isFalse();
		assertThat(List.of(unknown, anotherTenants, filteredOut, otherStatus)).containsOnly(400);
	}

	@Test
	void anExpiredTaskLeavesTheListingAndCannotBeAMarker() {
		// given: a task that has ended and expired, and a newer one still listed
		this.client = SimulatorClient.start(SimulatorClient.config()
			.taskLatency(Duration.ofMillis(300), Duration.ofMillis(300))
			.taskExpiry(Duration.ofMillis(600))
			.build());
		String old = this.client.postTask(ALICE, importTask("exports/old.vhd", "old")).json().path("id").asText();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.client.get(this.client.images("/tasks/" + old)).status() == 200 && System.nanoTime() < deadline) {
			SimulatorClient.pause(20);
		}
		String fresh = this.client.postTask(ALICE, importTask("exports/new.vhd", "new")).json().path("id").asText();

		// when
		List<String> listed = ids(this.client.get(this.client.images("/tasks")).json());
		List<String> ascending = ids(this.client.get(this.client.images("/tasks?sort_dir=asc")).json());
		List<String> byId = ids(this.client.get(this.client.images("/tasks?sort_key=id")).json());
		int oldAsMarker = this.client.get(this.client.images("/tasks?marker=" + old)).status();

		// then
		assertThat(listed).containsExactly(fresh);
		assertThat(ascending).containsExactly(fresh);
		assertThat(byId).containsExactly(fresh);
		assertThat(oldAsMarker).isEqualTo(400);
		assertThat(this.client.cloud.inspect().tasks()).extracting(Inspection.TaskView::id).contains(old, fresh);
	}

	@Test
	void theInFlightCapHoldsUnderConcurrentCreates() throws Exception {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config()
			.taskLatency(Duration.ofSeconds(2), Duration.ofSeconds(2))
			.faults(Faults.builder().tasksInFlightCap(5).build())
			.build());
		this.client.token(ALICE);

		// when
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Integer>> posts = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String body = importTask("exports/c-" + i + ".vhd", "c");
			posts.add(pool.submit(() -> this.client.postTask(ALICE, body).status()));
		}
		List<Integer> statuses = new ArrayList<>();
		for (Future<Integer> post : posts) {
			statuses.add(post.get());
		}
		pool.shutdown();
		awaitNoTaskInFlight();
		SimulatorClient.Response afterwards = this.client.postTask(ALICE, importTask("exports/d.vhd", "d"));

		// then
		assertThat(statuses).filteredOn((s) -> s == 201).hasSize(5);
		assertThat(statuses).filteredOn((s) -> s == 413).hasSize(15);
		assertThat(afterwards.status()).isEqualTo(201);
	}

	private void awaitNoTaskInFlight() {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (this.client.cloud.inspect().tasks().stream().anyMatch((t) -> t.status().matches("pending|processing"))
				&& System.nanoTime() < deadline) {
			SimulatorClient.pause(20);
		}
	}

	/** Every task a query lists, following {@code next}, checking each page's links. */
	private List<String> pageThrough(String query, int limit) {
		List<String> seen = new ArrayList<>();
		String url = this.client.images("/tasks?" + query);
		for (int pages = 0; url != null && pages < 1000; pages++) {
			JsonNode page = this.client.get(url).json();
			List<String> ids = ids(page);
			seen.addAll(ids);
			assertThat(page.path("first").asText()).as(query).isEqualTo("/v2/tasks?" + query);
			assertThat(page.has("next")).as(query).isEqualTo(ids.size() == limit);
			if (page.has("next")) {
				assertThat(page.path("next").asText())
					.isEqualTo("/v2/tasks?" + query + "&marker=" + seen.get(seen.size() - 1));
			}
			url = page.has("next") ? this.client.cloud.imagesUrl(REGION) + page.path("next").asText().substring(3)
					: null;
		}
		return seen;
	}

	/** What the API documents: {@code created_at} as shown (to the second), then id. */
	private static List<String> expectedOrder(List<Inspection.TaskView> tasks, String filter, boolean descending) {
		Comparator<Inspection.TaskView> order = Comparator
			.comparing((Inspection.TaskView t) -> SimImage.timestamp(t.createdAt()))
			.thenComparing(Inspection.TaskView::id);
		return tasks.stream()
			.filter((t) -> !filter.contains("type=") || filter.contains("type=" + t.type() + "&"))
			.filter((t) -> !filter.contains("status=") || filter.contains("status=" + t.status() + "&"))
			.sorted(descending ? order.reversed() : order)
			.map(Inspection.TaskView::id)
			.toList();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("tasks").forEach((t) -> ids.add(t.path("id").asText()));
		return ids;
	}

	private static List<String> reversed(List<String> list) {
		List<String> copy = new ArrayList<>(list);
		java.util.Collections.reverse(copy);
		return copy;
	}

	@Test
	void anotherTenantCannotSeeATask() {
		// given
		startWithExportableImage();
		String id = this.client.postTask(ALICE, importTask("exports/a.vhd", "x")).json().path("id").asText();

		// when
		SimulatorClient.Response get = this.client.call("GET", this.client.images("/tasks/" + id)).as(BOB).send();
		SimulatorClient.Response list = this.client.call("GET", this.client.images("/tasks")).as(BOB).send();
		SimulatorClient.Response otherRegion = this.client
			.call("GET", this.client.cloud.imagesUrl("ORD") + "/tasks/" + id)
			.as(ALICE)
			.send();

		// then
		assertThat(get.status()).isEqualTo(404);
		assertThat(list.json().path("tasks")).isEmpty();
		assertThat(otherRegion.status()).isEqualTo(404);
	}

	@Test
	void aTaskIsNotFoundAfterItExpiresButItsImageRemains() {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config().taskExpiry(Duration.ofMillis(300)).build());
		this.client.createContainer(ALICE, "exports");
		String image = this.client.addVhdImage("web", 2, 1);
		this.client.runTask(ALICE, exportTask(image, "exports"));
		JsonNode imported = this.client.runTask(ALICE, importTask("exports/" + image + ".vhd", "copy"));
		String id = imported.path("id").asText();

		// when
		int status = 200;
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (status == 200 && System.nanoTime() < deadline) {
			SimulatorClient.pause(50);
			status = this.client.get(this.client.images("/tasks/" + id)).status();
		}
		JsonNode list = this.client.get(this.client.images("/tasks")).json();
		SimulatorClient.Response copy = this.client
			.get(this.client.images("/images/" + imported.path("result").path("image_id").asText()));
		SimulatorClient.Response exported = this.client.get(this.client.files(ALICE, "/exports/" + image + ".vhd"));

		// then
		assertThat(status).isEqualTo(404);
		assertThat(list.path("tasks")).isEmpty();
		assertThat(copy.status()).isEqualTo(200);
		assertThat(exported.status()).isEqualTo(200);
	}

	@Test
	void theTaskSchemaIsServed() {
		// given
		startWithExportableImage();

		// when
		SimulatorClient.Response task = this.client.get(this.client.images("/schemas/task"));
		SimulatorClient.Response tasks = this.client.get(this.client.images("/schemas/tasks"));

		// then
		assertThat(task.status()).isEqualTo(200);
		assertThat(task.json().path("name").asText()).isEqualTo("task");
		assertThat(task.json().path("properties").has("expires_at")).isTrue();
		assertThat(tasks.status()).isEqualTo(200);
	}

}

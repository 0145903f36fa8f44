package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.imageferry.simulator.content.Content;
import org.imageferry.testsupport.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the standard OpenStack command-line clients, as Debian packages them, against a
 * {@link SimulatedCloud}: {@code swift} (python3-swiftclient) and {@code glance}
 * (python3-glanceclient). Debian's Python modules live under {@code /usr/bin/python3},
 * which need not be the {@code python3} on {@code PATH}, so the clients are run through
 * it explicitly. Also the few direct HTTP calls the interop tests need to set a scene (a
 * token, an export task) and readers for the clients' tables.
 */
final class InteropClients {

	static final String PYTHON = "/usr/bin/python3";

	static final String ALICE = "alice";

	static final String ALICE_PASSWORD = "alice-password";

	static final String ALICE_TENANT = "100001";

	/**
	 * Settings the clients would read from the environment (credentials, endpoints, a
	 * storage URL that skips authentication) and that must not leak into a test.
	 */
	private static final List<String> CLIENT_ENVIRONMENT = List.of("OS_", "ST_", "SWIFTCLIENT_");

	private static final ObjectMapper JSON = new ObjectMapper();

	private final SimulatedCloud cloud;

	private final String region;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	InteropClients(SimulatedCloud cloud, String region) {
		this.cloud = cloud;
		this.region = region;
	}

	/**
	 * A cloud small and quick enough for interop tests: 3 MiB export segments, tasks done
	 * in 200 ms.
	 */
	static SimulatedCloud startCloud() throws IOException {
		return SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(3L * 1024 * 1024)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build());
	}

	/** Runs {@code swift} as alice in this region, authenticating with Identity v2.0. */
	ExternalTools.Result swift(String... arguments) {
		Path python = ExternalTools.require(PYTHON);
		Path swift = ExternalTools.require("/usr/bin/swift");
		List<String> command = new ArrayList<>(List.of(swift.toString(), "--auth-version", "2", "--os-auth-url",
				this.cloud.identityUrl(), "--os-username", ALICE, "--os-password", ALICE_PASSWORD, "--os-tenant-name",
				ALICE_TENANT, "--os-region-name", this.region));
		command.addAll(Arrays.asList(arguments));
		return ExternalTools.run(python, CLIENT_ENVIRONMENT, command.toArray(String[]::new));
	}

	/** Like {@link #swift} but fails unless it exits with 0; returns its output. */
	String swiftOk(String... arguments) {
		ExternalTools.Result result = swift(arguments);
		assertThat(result.exitCode()).as("swift %s: %s", String.join(" ", arguments), result.output()).isZero();
		return result.output();
	}

	/**
	 * Runs {@code glance} (Images API v2) in this region with a token; glanceclient
	 * appends {@code /v2} to the image URL itself.
	 */
	ExternalTools.Result glance(String token, String... arguments) {
		Path python = ExternalTools.require(PYTHON);
		Path glance = ExternalTools.require("/usr/bin/glance");
		List<String> command = new ArrayList<>(List.of(glance.toString(), "--os-image-api-version", "2",
				"--os-image-url", this.cloud.baseUrl() + "/images/" + this.region, "--os-auth-token", token));
		command.addAll(Arrays.asList(arguments));
		return ExternalTools.run(python, CLIENT_ENVIRONMENT, command.toArray(String[]::new));
	}

	/** Like {@link #glance} but fails unless it exits with 0; returns its output. */
	String glanceOk(String token, String... arguments) {
		ExternalTools.Result result = glance(token, arguments);
		assertThat(result.exitCode()).as("glance %s: %s", String.join(" ", arguments), result.output()).isZero();
		return result.output();
	}

	/** Alice's token, from {@code POST /v2.0/tokens} with her API key. */
	String token() throws IOException, InterruptedException {
		String body = """
				{"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "alice", "apiKey": "alice-api-key"}}}""";
		JsonNode access = send(HttpRequest.newBuilder(URI.create(this.cloud.identityUrl() + "/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)), 200);
		return access.path("access").path("token").path("id").asText();
	}

	/** Creates an export task over HTTP; returns its id. */
	String export(String token, String imageId, String container) throws IOException, InterruptedException {
		return createTask(token, "export",
				JSON.createObjectNode().put("image_uuid", imageId).put("receiving_swift_container", container));
	}

	/** Creates an import task over HTTP; returns its id. */
	String ingest(String token, String importFrom, String name) throws IOException, InterruptedException {
		ObjectNode input = JSON.createObjectNode().put("import_from", importFrom);
		input.putObject("image_properties").put("name", name);
		return createTask(token, "import", input);
	}

	private String createTask(String token, String type, JsonNode input) throws IOException, InterruptedException {
		String body = JSON.createObjectNode().put("type", type).set("input", input).toString();
		JsonNode task = send(HttpRequest.newBuilder(URI.create(this.cloud.imagesUrl(this.region) + "/tasks"))
			.header("Content-Type", "application/json")
			.header("X-Auth-Token", token)
			.POST(HttpRequest.BodyPublishers.ofString(body)), 201);
		return task.path("id").asText();
	}

	/**
	 * Waits until a task has ended, watching the simulator's own record of it (no API
	 * polling, so the request log stays what the clients did).
	 * @return the ended task
	 */
	Inspection.TaskView awaitEnd(String taskId) throws InterruptedException {
		Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(giveUp)) {
			Inspection.TaskView task = this.cloud.inspect()
				.tasks()
				.stream()
				.filter((t) -> t.id().equals(taskId))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no task " + taskId));
			if (task.status().equals("success") || task.status().equals("failure")) {
				return task;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("task " + taskId + " did not end");
	}

	/** Like {@link #awaitEnd} but fails unless the task succeeded. */
	Inspection.TaskView awaitSuccess(String taskId) throws InterruptedException {
		Inspection.TaskView task = awaitEnd(taskId);
		assertThat(task.status()).as("task %s: %s", taskId, task.message()).isEqualTo("success");
		return task;
	}

	private JsonNode send(HttpRequest.Builder request, int expectedStatus) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return JSON.readTree(response.body());
	}

	/**
	 * Reads a {@code Property | Value} table as the glance client prints it, joining the
	 * lines of a value it wrapped.
	 */
	static Map<String, String> properties(String table) {
		Map<String, String> properties = new LinkedHashMap<>();
		String last = null;
		for (List<String> row : rows(table)) {
			if (row.size() != 2 || row.get(0).equals("Property")) {
				continue;
			}
			if (row.get(0).isEmpty() && last != null) {
				properties.merge(last, row.get(1), (a, b) -> a + " " + b);
			}
			else {
				last = row.get(0);
				properties.put(last, row.get(1));
			}
		}
		return properties;
	}

	/**
	 * Reads the {@code Name: value} lines {@code swift stat} prints (names
	 * right-aligned).
	 */
	static Map<String, String> headers(String output) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line : output.split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			}
		}
		return headers;
	}

	/** The cells of each {@code | a | b |} line of a client's table, trimmed. */
	static List<List<String>> rows(String table) {
		List<List<String>> rows = new ArrayList<>();
		for (String line : table.split("\n")) {
			String trimmed = line.trim();
			if (trimmed.startsWith("|") && trimmed.endsWith("|") && trimmed.length() > 1) {
				rows.add(Arrays.stream(trimmed.substring(1, trimmed.length() - 1).split("\\|"))
					.map(String::trim)
					.toList());
			}
		}
		return rows;
	}

	static JsonNode json(String text) throws IOException {
		return JSON.readTree(text);
	}

	static String md5(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return md5(in);
		}
	}

	static String md5(Content content) throws IOException {
		try (InputStream in = content.open()) {
			return md5(in);
		}
	}

	private static String md5(InputStream in) throws IOException {
		MessageDigest md5 = Upload.md5();
		byte[] buffer = new byte[256 * 1024];
		int n;
		while ((n = in.read(buffer)) > 0) {
			md5.update(buffer, 0, n);
		}
		return HexFormat.of().formatHex(md5.digest());
	}

}

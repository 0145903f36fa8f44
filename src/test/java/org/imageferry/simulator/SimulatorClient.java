package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.imageferry.simulator.content.Content;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * A simulated cloud on a free loopback port and a plain {@link HttpClient} that talks to
 * it as a customer would: authenticate, call Images v2 and Cloud Files, wait for tasks.
 * Small segments and short task latencies keep the tests fast.
 */
final class SimulatorClient implements AutoCloseable {

	static final String ALICE = "100001";

	static final String BOB = "100002";

	static final String REGION = "DFW";

	static final long MIB = 1024 * 1024;

	static final ObjectMapper JSON = new ObjectMapper();

	/** How long a test waits for a task to end before giving up (not an assertion). */
	private static final Duration TASK_WAIT = Duration.ofSeconds(20);

	final SimulatedCloud cloud;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Map<String, String> tokens = new LinkedHashMap<>();

	private SimulatorClient(SimulatedCloud cloud) {
		this.cloud = cloud;
	}

	/** Defaults for tests: any port, 1 MiB export segments, tasks of 150 ms. */
	static SimulatorConfig.Builder config() {
		return SimulatorConfig.builder()
			.port(0)
			.segmentSize(MIB)
			.taskLatency(Duration.ofMillis(150), Duration.ofMillis(150));
	}

	static SimulatorClient start() {
		return start(config().build());
	}

	static SimulatorClient start(SimulatorConfig config) {
		try {
			return new SimulatorClient(SimulatedCloud.start(config));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.cloud.close();
	}

	// identity

	Response authenticate(String body) {
		return call("POST", this.cloud.identityUrl() + "/tokens").json(body).send();
	}

	/** A token for alice (tenant 100001) or bob (100002), authenticated once. */
	String token(String tenant) {
		return this.tokens.computeIfAbsent(tenant, (t) -> {
			String user = t.equals(ALICE) ? "alice" : "bob";
			Response r = authenticate(apiKeyAuth(user, user + "-api-key"));
			if (r.status() != 200) {
				throw new IllegalStateException("could not authenticate " + user + ": " + r);
			}
			return r.json().path("access").path("token").path("id").asText();
		});
	}

	static String apiKeyAuth(String user, String apiKey) {
		return "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"" + user + "\",\"apiKey\":\"" + apiKey
				+ "\"}}}";
	}

	static String passwordAuth(String user, String password) {
		return "{\"auth\":{\"passwordCredentials\":{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}}}";
	}

	// URLs

	String images(String path) {
		return this.cloud.imagesUrl(REGION) + path;
	}

	String files(String tenant, String path) {
		return this.cloud.filesUrl(REGION, tenant, false) + path;
	}

	// calls

	Call call(String method, String url) {
		return new Call(method, url);
	}

	/** GET as alice. */
	Response get(String url) {
		return call("GET", url).as(ALICE).send();
	}

	// seeding

	String addImage(String tenant, String name, Content content) {
		return this.cloud.addImage(ImageSeed.of(REGION, tenant, name, content));
	}

	/** A valid dynamic VHD image of alice's of {@code virtualMiB} MiB. */
	String addVhdImage(String name, int virtualMiB, long seed) {
		return addImage(ALICE, name, SyntheticVhd.dynamic(virtualMiB * MIB, seed));
	}

	void createContainer(String tenant, String container) {
		this.cloud.createContainer(REGION, tenant, container);
	}

	/** PUTs an object as the tenant and expects 201. */
	void putObject(String tenant, String container, String name, byte[] body) {
		Response r = call("PUT", files(tenant, "/" + container + "/" + name)).as(tenant).body(body).send();
		if (r.status() != 201) {
			throw new IllegalStateException("PUT " + container + "/" + name + ": " + r);
		}
	}

	// tasks

	Response postTask(String tenant, String body) {
		return call("POST", images("/tasks")).as(tenant).json(body).send();
	}

	static String exportTask(String imageId, String container) {
		return "{\"type\":\"export\",\"input\":{\"image_uuid\":\"" + imageId + "\",\"receiving_swift_container\":\""
				+ container + "\"}}";
	}

	static String importTask(String importFrom, String name) {
		return "{\"type\":\"import\",\"input\":{\"image_properties\":{\"name\":\"" + name + "\"},\"import_from\":\""
				+ importFrom + "\"}}";
	}

	/** Creates a task, expects 201, and waits for it to end; returns the ended task. */
	JsonNode runTask(String tenant, String body) {
		Response created = postTask(tenant, body);
		if (created.status() != 201) {
			throw new IllegalStateException("POST /v2/tasks: " + created);
		}
		return waitForTask(tenant, created.json().path("id").asText());
	}

	/** Polls a task until it is {@code success} or {@code failure}. */
	JsonNode waitForTask(String tenant, String taskId) {
		long deadline = System.nanoTime() + TASK_WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			Response r = call("GET", images("/tasks/" + taskId)).as(tenant).send();
			if (r.status() != 200) {
				throw new IllegalStateException("GET task " + taskId + ": " + r);
			}
			String status = r.json().path("status").asText();
			if (status.equals("success") || status.equals("failure")) {
				return r.json();
			}
			pause(20);
		}
		throw new IllegalStateException("task " + taskId + " did not end within " + TASK_WAIT);
	}

	static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// bytes

	static byte[] randomBytes(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static byte[] read(Content content) {
		try (InputStream in = content.open()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String md5(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String md5(String text) {
		return md5(text.getBytes(StandardCharsets.UTF_8));
	}

	static ObjectNode object() {
		return JSON.createObjectNode();
	}

	/** One request being built. */
	final class Call {

		private final HttpRequest.Builder request;

		private final String method;

		private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

		Call(String method, String url) {
			this.method = method;
			this.request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
		}

		Call as(String tenant) {
			return token(SimulatorClient.this.token(tenant));
		}

		Call token(String token) {
			return header("X-Auth-Token", token);
		}

		Call header(String name, String value) {
			this.request.header(name, value);
			return this;
		}

		Call json(String json) {
			return body(json.getBytes(StandardCharsets.UTF_8), "application/json");
		}

		Call body(byte[] bytes) {
			this.body = HttpRequest.BodyPublishers.ofByteArray(bytes);
			return this;
		}

		Call body(byte[] bytes, String contentType) {
			header("Content-Type", contentType);
			return body(bytes);
		}

		Call text(String text, String contentType) {
			return body(text.getBytes(StandardCharsets.UTF_8), contentType);
		}

		HttpRequest build() {
			return this.request.method(this.method, this.body).build();
		}

		Response send() {
			try {
				HttpResponse<byte[]> r = SimulatorClient.this.http.send(build(),
						HttpResponse.BodyHandlers.ofByteArray());
				return new Response(r.statusCode(), r.headers(), r.body());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** Sends and hands back the raw response, for tests that read the body stream. */
		HttpResponse<InputStream> stream() throws IOException, InterruptedException {
			return SimulatorClient.this.http.send(build(), HttpResponse.BodyHandlers.ofInputStream());
		}

	}

	/** An answer, read whole. */
	record Response(int status, HttpHeaders headers, byte[] body) {

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (IOException ex) {
				throw new IllegalStateException("not JSON: " + text(), ex);
			}
		}

		@Override
		public String toString() {
			return this.status + " " + ((this.body.length > 500) ? this.body.length + " bytes" : text());
		}

	}

}

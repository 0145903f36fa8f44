package org.imageferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;

/**
 * {@link SimulatorBench}'s HTTP side: one JDK HttpClient (HTTP/1.1, connections kept
 * alive) shared by the bench's threads, as image-ferry shares one, and what it saw: each
 * request's latency by kind, and the answers a migration would not expect.
 */
final class SimulatorClient {

	static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final SimulatedCloud cloud;

	private final String tenant;

	private final String token;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	private final Map<String, Queue<Long>> latencies = new ConcurrentHashMap<>();

	SimulatorClient(SimulatedCloud cloud, String tenant) throws IOException, InterruptedException {
		this.cloud = cloud;
		this.tenant = tenant;
		this.token = json(expect(authenticate(), 200)).path("access").path("token").path("id").asText();
	}

	HttpRequest authenticate() {
		return HttpRequest.newBuilder(URI.create(this.cloud.identityUrl() + "/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"alice-api-key\"}}}"))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

	/** A request to a region's Images API, {@code path} after {@code /v2}. */
	HttpRequest.Builder images(String region, String path) {
		return HttpRequest.newBuilder(URI.create(this.cloud.imagesUrl(region) + path))
			.header("X-Auth-Token", this.token)
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(60));
	}

	/**
	 * A request to the tenant's Cloud Files account in a region; {@code path} follows it.
	 */
	HttpRequest.Builder files(String region, String path) {
		return HttpRequest.newBuilder(URI.create(this.cloud.filesUrl(region, this.tenant, false) + path))
			.header("X-Auth-Token", this.token)
			.timeout(Duration.ofSeconds(60));
	}

	/** A region's Cloud Files capabilities ({@code /info}, beside {@code /v1}). */
	HttpRequest info(String region) {
		String url = this.cloud.filesUrl(region, this.tenant, false);
		return HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf("/v1/")) + "/info"))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

	/** The kind {@link RequestMix} counts a request as. */
	static String kind(HttpRequest request) {
		return RequestMix.kind(request.method(), request.uri().getPath());
	}

	/**
	 * Sends a request once and checks its status; an answer other than {@code status} is
	 * counted as unexpected. Not sent again when the connection fails: a request the
	 * server answered twice would not be the mix replayed, and hides a fault.
	 */
	HttpResponse<byte[]> expect(HttpRequest request, int status) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = send(request);
		if (response.statusCode() != status) {
			miss(kind(request), request.method() + " " + request.uri() + " answered " + response.statusCode()
					+ ", expected " + status);
		}
		return response;
	}

	/** A listing that must hold {@code count} objects. */
	void expectCount(HttpRequest request, int count) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = expect(request, 200);
		if (response.statusCode() == 200 && json(response).size() != count) {
			miss(kind(request), request.uri() + " listed " + json(response).size() + " objects, expected " + count);
		}
	}

	/**
	 * Sends a request {@code times} times, and then again until an answer is {@code done}
	 * (1 ms apart); the last answer. The polls past {@code times} are more than the job
	 * sent: the replayed mix then differs, and says so.
	 */
	HttpResponse<byte[]> poll(HttpRequest request, int times, Predicate<HttpResponse<byte[]>> done)
			throws IOException, InterruptedException {
		HttpResponse<byte[]> last = null;
		boolean seen = false;
		for (int sent = 0; sent < times || !seen; sent++) {
			if (sent >= times && sent > 0) {
				Thread.sleep(1);
			}
			if (sent > times + 10_000) {
				miss(kind(request), request.uri() + ": gave up polling");
				return last;
			}
			last = send(request);
			seen |= done.test(last);
			if (last.statusCode() >= 500) {
				miss(kind(request), request.uri() + " answered " + last.statusCode());
			}
		}
		return last;
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
		long start = System.nanoTime();
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IOException(
					request.method() + " " + request.uri() + ": " + ex.getMessage() + " (" + servedAs(request) + ")",
					ex);
		}
		this.latencies.computeIfAbsent(kind(request), (k) -> new ConcurrentLinkedQueue<>())
			.add(System.nanoTime() - start);
		this.requests.incrementAndGet();
		return response;
	}

	/**
	 * What the simulator's request log holds for a request the client got no answer to:
	 * whether the simulator handled it (and with which status it meant to answer) tells a
	 * connection closed before the request was read from an answer lost after it.
	 */
	private String servedAs(HttpRequest request) {
		// a path such as POST …/tasks is shared by many requests: their statuses, counted
		Map<Integer, Long> statuses = this.cloud.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals(request.method()) && r.path().equals(request.uri().getPath()))
			.collect(java.util.stream.Collectors.groupingBy(Inspection.RequestView::status, TreeMap::new,
					java.util.stream.Collectors.counting()));
		return statuses.isEmpty() ? "the simulator never handled it"
				: "the simulator handled requests to it, count by status " + statuses + " (-1: no answer)";
	}

	void miss(String kind, String what) {
		if (this.unexpected.incrementAndGet() <= 10) {
			System.err.println("unexpected answer (" + kind + "): " + what);
		}
	}

	long requests() {
		return this.requests.get();
	}

	long unexpected() {
		return this.unexpected.get();
	}

	/** Every request's latency in nanoseconds, sorted. */
	long[] latencies() {
		return this.latencies.values().stream().flatMap(Queue::stream).mapToLong(Long::longValue).sorted().toArray();
	}

	/** Each kind's latencies in nanoseconds, sorted. */
	Map<String, long[]> latenciesByKind() {
		Map<String, long[]> byKind = new TreeMap<>();
		this.latencies
			.forEach((kind, list) -> byKind.put(kind, list.stream().mapToLong(Long::longValue).sorted().toArray()));
		return byKind;
	}

	static JsonNode json(HttpResponse<byte[]> response) throws IOException {
		return (response == null || response.body().length == 0) ? JSON.createObjectNode()
				: JSON.readTree(response.body());
	}

	static boolean succeeded(HttpResponse<byte[]> task) {
		try {
			return task.statusCode() == 200 && json(task).path("status").asText().equals("success");
		}
		catch (IOException ex) {
			return false;
		}
	}

	static HttpRequest.BodyPublisher body(String text) {
		return HttpRequest.BodyPublishers.ofString(text);
	}

	static HttpRequest.BodyPublisher noBody() {
		return HttpRequest.BodyPublishers.noBody();
	}

	static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	static String md5(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package org.imageferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * The simulated cloud alone, without image-ferry: N images' worth of the requests a
 * migration makes (the mix {@code BENCH_TRACE=1 PipelineBench} prints, about 23 per
 * image), sent over real loopback HTTP by the JDK HttpClient from several threads, with
 * real bodies (64 KiB VHDs read, MD5-checked and written back) and zero task latency. It
 * shows what the simulator can serve on its own, so an end-to-end run can tell whether it
 * or image-ferry is the bottleneck. Client and simulator share the machine's cores.
 * <p>
 * Per image, in DFW: GET the image (twice), HEAD its export object (before the export,
 * then until the export has written it), POST the export task, GET the segment listing
 * (twice), a ranged GET of the manifest (the VHD footer), GET the segment, DELETE
 * manifest and segment; in IAD: GET images filtered by {@code image_ferry_source}, GET
 * the segment listing (twice), PUT segment and manifest, HEAD the manifest, POST the
 * import task, GET it until it ends, two PATCHes, DELETE manifest and segment. Every 4th
 * image lists IAD's import tasks and every 50th DFW's export tasks (newest first, pages
 * of 100, every other time following {@code next}): the share of listings the pipeline
 * makes.
 * <p>
 * Usage: {@code SimulatorBench [images=10000] [client threads=8]}. Prints markdown rows
 * {@code | simulator | measure | value | goal | ok or FAIL |}: requests per second,
 * latencies, the CPU time of the simulator's own threads per request (what it would cost
 * an end-to-end run on the same machine) and the count of unexpected answers.
 */
public final class SimulatorBench {

	private static final String SOURCE = "DFW";

	private static final String TARGET = "IAD";

	private static final String TENANT = "100001";

	private static final int IMAGE_BYTES = 64 * 1024;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

	/** How many times a poll repeats before the bench calls the answer unexpected. */
	private static final int POLLS = 10_000;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final SimulatedCloud cloud;

	private final String token;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	private final AtomicLong resent = new AtomicLong();

	private final Map<String, Queue<Long>> latencies = new ConcurrentHashMap<>();

	private final AtomicInteger listings = new AtomicInteger();

	private SimulatorBench(SimulatedCloud cloud) throws IOException, InterruptedException {
		this.cloud = cloud;
		HttpResponse<String> auth = this.http.send(HttpRequest.newBuilder(URI.create(cloud.identityUrl() + "/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"alice-api-key\"}}}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		this.token = JSON.readTree(auth.body()).path("access").path("token").path("id").asText();
	}

	public static void main(String[] args) throws Exception {
		// the simulator closes a connection idle for 30 s, the JDK client keeps one
		// 1,200 s: a request sent as the server closes it gets no answer, and a POST
		// cannot be sent again
		System.setProperty("jdk.httpclient.keepalive.timeout", "20");
		int n = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int threads = (args.length > 1) ? Integer.parseInt(args[1]) : 8;
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.regions(List.of(SOURCE, TARGET))
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.segmentSize(1024 * 1024)
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				ids.add(cloud.addImage(ImageSeed.of(SOURCE, TENANT, "bench-" + i, SyntheticVhd.fixed(IMAGE_BYTES, i))));
			}
			cloud.createContainer(SOURCE, TENANT, "exports");
			cloud.createContainer(TARGET, TENANT, "imports");
			new SimulatorBench(cloud).run(ids, threads);
		}
	}

	private void run(List<String> ids, int threads) throws Exception {
		AtomicInteger next = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		Map<Long, Long> simulatorCpuBefore = simulatorThreadsCpu();
		long processCpuBefore = processCpu();
		long started = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
					try {
						migrate(ids.get(i), i);
					}
					catch (IOException | RuntimeException ex) {
						miss("image " + ids.get(i), ex.toString());
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long simulatorCpu = 0;
		for (Map.Entry<Long, Long> thread : simulatorThreadsCpu().entrySet()) {
			simulatorCpu += thread.getValue() - simulatorCpuBefore.getOrDefault(thread.getKey(), 0L);
		}
		long processCpu = processCpu() - processCpuBefore;
		pool.shutdown();
		report(ids.size(), threads, seconds, simulatorCpu, processCpu);
	}

	/**
	 * CPU time of the simulator's own threads by thread id: Jetty's pool (its acceptor,
	 * selector and the HTTP handlers) and the task engine.
	 */
	private static Map<Long, Long> simulatorThreadsCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<Long, Long> cpu = new TreeMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && info.getThreadName().matches("simulator-http-\\d+|simulator-tasks")) {
				cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
			}
		}
		return cpu;
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** One image's requests, in the order a migration makes them. */
	private void migrate(String id, int i) throws IOException, InterruptedException {
		String manifest = id + ".vhd";
		String segment = manifest + "-00001";
		// preflight
		expect("GET image", send(images(SOURCE, "/images/" + id).GET()), 200);
		JsonNode migrated = json(expect("GET images?property",
				send(images(TARGET, "/images?image_ferry_source=" + SOURCE + ":" + id).GET()), 200));
		if (migrated.path("images").size() != 0) {
			miss("GET images?property", "already migrated: " + id);
		}
		// export
		expect("HEAD object", send(files(SOURCE, "exports/" + manifest).method("HEAD", noBody())), 404);
		expect("POST task",
				send(images(SOURCE, "/tasks").header("Content-Type", "application/json")
					.POST(body("{\"type\":\"export\",\"input\":{\"image_uuid\":\"" + id
							+ "\",\"receiving_swift_container\":\"exports\"}}"))),
				201);
		if (i % 50 == 0) {
			listTasks(SOURCE, "export");
		}
		poll("HEAD object", () -> files(SOURCE, "exports/" + manifest).method("HEAD", noBody()), 200);
		// transfer
		String segments = "?format=json&limit=10000&prefix=" + encode(manifest + "-") + "&marker=";
		expectCount("GET listing", send(files(SOURCE, "exports" + segments).GET()), 1);
		expect("GET object range", send(files(SOURCE, "exports/" + manifest).header("Range", "bytes=-512").GET()), 206);
		expectCount("GET listing", send(files(TARGET, "imports" + segments).GET()), 0);
		HttpResponse<byte[]> got = expect("GET object", send(files(SOURCE, "exports/" + segment).GET()), 200);
		String md5 = md5(got.body());
		if (!md5.equals(got.headers().firstValue("ETag").orElse("").replace("\"", ""))) {
			miss("GET object", "ETag " + got.headers().firstValue("ETag") + " but the body's MD5 is " + md5);
		}
		expect("PUT object", send(files(TARGET, "imports/" + segment).header("ETag", md5)
			.PUT(HttpRequest.BodyPublishers.ofByteArray(got.body()))), 201);
		expect("PUT object",
				send(files(TARGET, "imports/" + manifest).header("X-Object-Manifest", "imports/" + manifest + "-")
					.PUT(noBody())),
				201);
		expect("HEAD object", send(files(TARGET, "imports/" + manifest).method("HEAD", noBody())), 200);
		// import
		String task = json(
				expect("POST task",
						send(images(TARGET, "/tasks").header("Content-Type", "application/json")
							.POST(body("{\"type\":\"import\",\"input\":{\"import_from\":\"imports/" + manifest
									+ "\",\"image_properties\":{\"name\":\"bench-" + i + "\"}}}"))),
						201))
			.path("id")
			.asText();
		if (i % 4 == 0) {
			listTasks(TARGET, "import");
		}
		JsonNode done = json(poll("GET task", () -> images(TARGET, "/tasks/" + task).GET(), 200, "success"));
		String imported = done.path("result").path("image_id").asText();
		// finish: the source's metadata and the provenance in one patch, then each side's
		// export listed and deleted in bulk (a run deletes a batch of images per request)
		expect("GET image", send(images(SOURCE, "/images/" + id).GET()), 200);
		expect("PATCH image",
				send(images(TARGET, "/images/" + imported).header("Content-Type", PATCH_TYPE)
					.method("PATCH",
							body("[{\"op\":\"add\",\"path\":\"/image_ferry_source\",\"value\":\"" + SOURCE + ":" + id
									+ "\"},{\"op\":\"replace\",\"path\":\"/tags\",\"value\":[]},"
									+ "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":0},"
									+ "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":0}]"))),
				200);
		for (String region : List.of(SOURCE, TARGET)) {
			String container = region.equals(SOURCE) ? "exports" : "imports";
			expectCount("GET listing", send(files(region, container + segments).GET()), 1);
			JsonNode deleted = json(
					expect("bulk DELETE",
							send(files(region, "?bulk-delete").header("Content-Type", "text/plain")
								.header("Accept", "application/json")
								.method("DELETE", body(
										"/" + container + "/" + manifest + "\n/" + container + "/" + segment + "\n"))),
							200));
			if (deleted.path("Number Deleted").asInt() != 2) {
				miss("bulk DELETE", "deleted " + deleted + " for " + id);
			}
		}
	}

	/** A page of a region's tasks, newest first; every other time the next page too. */
	private void listTasks(String region, String type) throws IOException, InterruptedException {
		String query = "/tasks?type=" + type + "&sort_key=created_at&sort_dir=desc&limit=100";
		JsonNode page = json(expect("GET tasks", send(images(region, query).GET()), 200));
		String next = page.path("next").asText(null);
		if (this.listings.incrementAndGet() % 2 == 0 && next != null) {
			expect("GET tasks", send(images(region, next.replaceFirst("^/v2", "")).GET()), 200);
		}
	}

	private HttpRequest.Builder images(String region, String path) {
		return HttpRequest.newBuilder(URI.create(this.cloud.imagesUrl(region) + path))
			.header("X-Auth-Token", this.token)
			.header("Accept", "application/json");
	}

	private HttpRequest.Builder files(String region, String path) {
		return HttpRequest.newBuilder(URI.create(this.cloud.filesUrl(region, TENANT, false) + "/" + path))
			.header("X-Auth-Token", this.token);
	}

	private Sent send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
		long start = System.nanoTime();
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(built, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			if (!closedUnanswered(ex, built.method())) {
				throw new IOException(built.method() + " " + built.uri() + ": " + ex.getMessage(), ex);
			}
			this.resent.incrementAndGet();
			response = this.http.send(built, HttpResponse.BodyHandlers.ofByteArray());
		}
		long elapsed = System.nanoTime() - start;
		this.requests.incrementAndGet();
		return new Sent(response, elapsed);
	}

	/**
	 * Whether to send a request again: once, unless it creates something, when the server
	 * closed a kept-alive connection as the client reused it (the simulator closes
	 * connections idle for 30 s; a real client retries these too).
	 */
	private static boolean closedUnanswered(IOException ex, String method) {
		return !method.equals("POST") && String.valueOf(ex.getMessage()).contains("received no bytes");
	}

	private HttpResponse<byte[]> expect(String kind, Sent sent, int status) {
		note(kind, sent.nanos());
		if (sent.response().statusCode() != status) {
			miss(kind, sent.response().request().method() + " " + sent.response().uri() + " answered "
					+ sent.response().statusCode() + ", expected " + status);
		}
		return sent.response();
	}

	private void expectCount(String kind, Sent sent, int count) throws IOException {
		HttpResponse<byte[]> response = expect(kind, sent, 200);
		if (response.statusCode() == 200 && json(response).size() != count) {
			miss(kind, response.uri() + " listed " + json(response).size() + " objects, expected " + count);
		}
	}

	/**
	 * Repeats a request until it answers {@code status} (and, if given, a task status).
	 */
	private HttpResponse<byte[]> poll(String kind, RequestFactory request, int status, String... taskStatus)
			throws IOException, InterruptedException {
		for (int attempt = 0; attempt < POLLS; attempt++) {
			Sent sent = send(request.create());
			note(kind, sent.nanos());
			HttpResponse<byte[]> response = sent.response();
			if (response.statusCode() == status
					&& (taskStatus.length == 0 || json(response).path("status").asText().equals(taskStatus[0]))) {
				return response;
			}
			if (response.statusCode() != status && response.statusCode() != 404) {
				miss(kind, response.uri() + " answered " + response.statusCode());
				return response;
			}
			Thread.sleep(1);
		}
		miss(kind, "gave up polling after " + POLLS + " attempts");
		return null;
	}

	private void note(String kind, long nanos) {
		this.latencies.computeIfAbsent(kind, (k) -> new ConcurrentLinkedQueue<>()).add(nanos);
	}

	private void miss(String kind, String what) {
		if (this.unexpected.incrementAndGet() <= 10) {
			System.err.println("unexpected answer (" + kind + "): " + what);
		}
	}

	private void report(int n, int threads, double seconds, long simulatorCpu, long processCpu) {
		long total = this.requests.get();
		System.out.printf(Locale.ROOT,
				"| simulator | alone: %,d images' requests (%.1f/image, %d client threads) "
						+ "| %,.0f requests/s (%.1f s) | — | |%n",
				n, (double) total / n, threads, total / seconds, seconds);
		long[] all = this.latencies.values()
			.stream()
			.flatMap(Queue::stream)
			.mapToLong(Long::longValue)
			.sorted()
			.toArray();
		System.out.printf(Locale.ROOT,
				"| simulator | alone: request latency p50 / p99 / max | %s / %s / %s ms | — | |%n", millis(all, 0.50),
				millis(all, 0.99), millis(all, 1.0));
		Map<String, String> slowest = new TreeMap<>();
		this.latencies.forEach((kind, list) -> {
			long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
			slowest.put(kind, millis(sorted, 0.99));
		});
		System.out.printf(Locale.ROOT, "| simulator | alone: p99 by request (ms) | %s | — | |%n",
				String.join(", ", slowest.entrySet().stream().map((e) -> e.getKey() + " " + e.getValue()).toList()));
		System.out.printf(Locale.ROOT,
				"| simulator | alone: CPU of the simulator's threads (HTTP, tasks) | %.3f ms/request, "
						+ "%.0f%% of the process's %.3f ms/request (client, JIT and GC the rest) | — | |%n",
				simulatorCpu / 1e6 / total, 100.0 * simulatorCpu / processCpu, processCpu / 1e6 / total);
		System.out.printf(Locale.ROOT,
				"| simulator | alone: requests sent again (keep-alive connection closed unanswered) | %,d | — | |%n",
				this.resent.get());
		long misses = this.unexpected.get();
		System.out.printf(Locale.ROOT, "| simulator | alone: unexpected answers | %,d | 0 | %s |%n", misses,
				(misses == 0) ? "ok" : "FAIL");
	}

	private static String millis(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return "-";
		}
		long nanos = sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
		return String.format(Locale.ROOT, (nanos < 10_000_000) ? "%.1f" : "%.0f", nanos / 1e6);
	}

	private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
		return (response == null || response.body().length == 0) ? JSON.createObjectNode()
				: JSON.readTree(response.body());
	}

	private static HttpRequest.BodyPublisher body(String json) {
		return HttpRequest.BodyPublishers.ofString(json);
	}

	private static HttpRequest.BodyPublisher noBody() {
		return HttpRequest.BodyPublishers.noBody();
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	private static String md5(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Sent(HttpResponse<byte[]> response, long nanos) {
	}

	@FunctionalInterface
	private interface RequestFactory {

		HttpRequest.Builder create();

	}

}

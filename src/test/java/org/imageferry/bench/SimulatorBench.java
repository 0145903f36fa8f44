package org.imageferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.imageferry.bench.SimulatorClient.body;
import static org.imageferry.bench.SimulatorClient.encode;
import static org.imageferry.bench.SimulatorClient.json;
import static org.imageferry.bench.SimulatorClient.md5;
import static org.imageferry.bench.SimulatorClient.noBody;

/**
 * The simulated cloud alone, without image-ferry: the requests an overhead run of the job
 * made ({@link RequestMix}: so many of each kind), sent again to a fresh simulator over
 * real loopback HTTP by the JDK HttpClient from as many threads as the job had (API and
 * transfer workers), with real bodies (64 KiB VHDs read, MD5-checked and written back)
 * and zero task latency. The job's time over this one is image-ferry's overhead on the
 * cloud it drives; the rows also show what the simulator serves on its own. Client and
 * simulator share the machine's cores, as the job and its simulator did.
 * <p>
 * The requests go in the order a migration makes them, image by image: in DFW the image,
 * its export object (HEAD before the export, then until the export wrote it), the export
 * task, segment listings, a ranged GET of the manifest (the VHD footer), the segment; in
 * IAD images filtered by {@code image_ferry_source}, listings, PUT segment and manifest,
 * HEAD, the import task and its GET until it ends, the PATCH; then, a batch at a time,
 * each side's objects deleted in bulk. Each image sends its even share of each kind
 * ({@link RequestMix#share}): the repeats of a read where the job repeats it, the task
 * listings and bulk deletes only as often as the job sent them. Set-up requests (tokens,
 * {@code /info}, container PUTs) go first. The simulator's own request log then tells
 * whether the replay sent the same mix; a poll that had to go on longer than the job's
 * shows there.
 * <p>
 * Usage: {@code SimulatorBench MIXFILE} (written by {@code PipelineBench overhead}).
 * Prints markdown rows; exits 1 when a goal is missed.
 */
public final class SimulatorBench {

	private static final String SOURCE = "DFW";

	private static final String TARGET = "IAD";

	private static final String TENANT = "100001";

	private static final int IMAGE_BYTES = 64 * 1024;

	private static final String PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

	private static final Map<String, String> CONTAINERS = Map.of(SOURCE, "exports", TARGET, "imports");

	private final SimulatorClient client;

	private final RequestMix mix;

	private final Inspection inspection;

	/** Objects waiting for the next bulk delete, by region; guarded by itself. */
	private final Map<String, List<String>> unswept = new HashMap<>();

	private int finished;

	private SimulatorBench(SimulatorClient client, RequestMix mix, Inspection inspection) {
		this.client = client;
		this.mix = mix;
		this.inspection = inspection;
		CONTAINERS.keySet().forEach((region) -> this.unswept.put(region, new ArrayList<>()));
	}

	public static void main(String[] args) throws Exception {
		// the simulator closes a connection idle for 30 s, the JDK client keeps one
		// 1,200 s: a request sent as the server closes it gets no answer
		System.setProperty("jdk.httpclient.keepalive.timeout", "20");
		RequestMix mix = RequestMix.read(Path.of(args[0]));
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.regions(List.of(SOURCE, TARGET))
			.taskLatency(Duration.ZERO, Duration.ZERO)
			.segmentSize(1024 * 1024)
			.build())) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < mix.images(); i++) {
				ids.add(cloud.addImage(ImageSeed.of(SOURCE, TENANT, "bench-" + i, SyntheticVhd.fixed(IMAGE_BYTES, i))));
			}
			CONTAINERS.forEach((region, container) -> cloud.createContainer(region, TENANT, container));
			Measured measured = new SimulatorBench(new SimulatorClient(cloud, TENANT), mix, cloud.inspect()).run(ids);
			RequestMix replayed = RequestMix.of(mix.images(), mix.clientThreads(), measured.seconds(),
					cloud.inspect().requests());
			boolean ok = new SimulatorReport(mix, replayed, measured).print();
			System.exit(ok ? 0 : 1);
		}
	}

	/** What a replay measured: its time, the CPU it took, and what the client saw. */
	record Measured(double seconds, long simulatorCpu, long processCpu, SimulatorClient client) {
	}

	private Measured run(List<String> ids) throws Exception {
		AtomicInteger next = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(this.mix.clientThreads());
		Map<Long, Long> simulatorCpuBefore = simulatorThreadsCpu();
		long processCpuBefore = processCpu();
		long started = System.nanoTime();
		setUp();
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < this.mix.clientThreads(); t++) {
			workers.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
					try {
						migrate(ids.get(i), i);
					}
					catch (IOException | RuntimeException ex) {
						this.client.miss("image " + ids.get(i), ex.toString());
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
		return new Measured(seconds, simulatorCpu, processCpu, this.client);
	}

	/**
	 * The requests a run makes once, before its images: tokens (the client's own
	 * authentication is one), each region's {@code /info}, the containers.
	 */
	private void setUp() throws IOException, InterruptedException {
		HttpRequest auth = this.client.authenticate();
		for (long t = 1; t < this.mix.count(SimulatorClient.kind(auth)); t++) {
			this.client.expect(auth, 200);
		}
		for (Map.Entry<String, String> container : CONTAINERS.entrySet()) {
			HttpRequest info = this.client.info(container.getKey());
			for (long t = 0; t < this.mix.count(SimulatorClient.kind(info)); t++) {
				this.client.expect(info, 200);
			}
			HttpRequest create = this.client.files(container.getKey(), "/" + container.getValue())
				.PUT(HttpRequest.BodyPublishers.noBody())
				.build();
			for (long t = 0; t < this.mix.count(SimulatorClient.kind(create)); t++) {
				this.client.expect(create, 202);
			}
		}
	}

	/** One image's requests, in the order a migration makes them. */
	private void migrate(String id, int i) throws IOException, InterruptedException {
		Share share = new Share(i);
		String manifest = id + ".vhd";
		String segment = manifest + "-00001";
		String segments = "?format=json&limit=10000&prefix=" + encode(manifest + "-") + "&marker=";
		// preflight
		HttpRequest source = this.client.images(SOURCE, "/images/" + id).GET().build();
		repeat(share.take(source, 1), () -> this.client.expect(source, 200));
		HttpRequest provenance = this.client.images(TARGET, "/images?image_ferry_source=" + SOURCE + ":" + id)
			.GET()
			.build();
		repeat(share.rest(provenance), () -> {
			if (json(this.client.expect(provenance, 200)).path("images").size() != 0) {
				this.client.miss(SimulatorClient.kind(provenance), "already migrated: " + id);
			}
		});
		// export
		HttpRequest exported = this.client.files(SOURCE, "/exports/" + manifest).method("HEAD", noBody()).build();
		repeat(share.take(exported, 1), () -> this.client.expect(exported, 404));
		HttpRequest export = this.client.images(SOURCE, "/tasks")
			.header("Content-Type", "application/json")
			.POST(body("{\"type\":\"export\",\"input\":{\"image_uuid\":\"" + id
					+ "\",\"receiving_swift_container\":\"exports\"}}"))
			.build();
		share.take(export, 1);
		String exporting = json(this.client.expect(export, 201)).path("id").asText();
		listTasks(share, SOURCE, "export");
		awaitEnd(exporting);
		this.client.poll(exported, share.rest(exported), (r) -> r.statusCode() == 200);
		// transfer
		HttpRequest exports = this.client.files(SOURCE, "/exports" + segments).GET().build();
		repeat(share.take(exports, 1), () -> this.client.expectCount(exports, 1));
		HttpRequest footer = this.client.files(SOURCE, "/exports/" + manifest).header("Range", "bytes=-512").build();
		repeat(share.rest(footer), () -> this.client.expect(footer, 206));
		HttpRequest imports = this.client.files(TARGET, "/imports" + segments).GET().build();
		repeat(share.take(imports, 1), () -> this.client.expectCount(imports, 0));
		HttpRequest read = this.client.files(SOURCE, "/exports/" + segment).GET().build();
		share.take(read, 1);
		HttpResponse<byte[]> got = this.client.expect(read, 200);
		repeat(share.rest(read), () -> this.client.expect(read, 200));
		String md5 = md5(got.body());
		if (!md5.equals(got.headers().firstValue("ETag").orElse("").replace("\"", ""))) {
			this.client.miss("GET object", "ETag " + got.headers().firstValue("ETag") + " but the MD5 is " + md5);
		}
		HttpRequest write = this.client.files(TARGET, "/imports/" + segment)
			.header("ETag", md5)
			.PUT(HttpRequest.BodyPublishers.ofByteArray(got.body()))
			.build();
		repeat(Math.max(1, share.rest(write)), () -> this.client.expect(write, 201));
		HttpRequest join = this.client.files(TARGET, "/imports/" + manifest)
			.header("X-Object-Manifest", "imports/" + manifest + "-")
			.PUT(noBody())
			.build();
		repeat(Math.max(1, share.rest(join)), () -> this.client.expect(join, 201));
		HttpRequest written = this.client.files(TARGET, "/imports/" + manifest).method("HEAD", noBody()).build();
		repeat(share.rest(written), () -> this.client.expect(written, 200));
		// import
		HttpRequest start = this.client.images(TARGET, "/tasks")
			.header("Content-Type", "application/json")
			.POST(body("{\"type\":\"import\",\"input\":{\"import_from\":\"imports/" + manifest
					+ "\",\"image_properties\":{\"name\":\"bench-" + i + "\"}}}"))
			.build();
		share.take(start, 1);
		String task = json(this.client.expect(start, 201)).path("id").asText();
		listTasks(share, TARGET, "import");
		awaitEnd(task);
		HttpRequest status = this.client.images(TARGET, "/tasks/" + task).GET().build();
		String imported = json(this.client.poll(status, share.rest(status), SimulatorClient::succeeded)).path("result")
			.path("image_id")
			.asText();
		// finish: the source's metadata again, the provenance in one patch, the exports
		// listed before they are deleted in bulk, a batch at a time
		repeat(share.rest(source), () -> this.client.expect(source, 200));
		HttpRequest patch = this.client.images(TARGET, "/images/" + imported)
			.header("Content-Type", PATCH_TYPE)
			.method("PATCH",
					body("[{\"op\":\"add\",\"path\":\"/image_ferry_source\",\"value\":\"" + SOURCE + ":" + id
							+ "\"},{\"op\":\"replace\",\"path\":\"/tags\",\"value\":[]},"
							+ "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":0},"
							+ "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":0}]"))
			.build();
		repeat(Math.max(1, share.rest(patch)), () -> this.client.expect(patch, 200));
		repeat(share.rest(exports), () -> this.client.expectCount(exports, 1));
		repeat(share.rest(imports), () -> this.client.expectCount(imports, 1));
		sweep(manifest, segment);
	}

	/**
	 * Waits for a task to end without a request: the job learns it from its task
	 * listings, which the mix counts on their own, so the poll after it finds the task
	 * ended, as the job's one look did.
	 */
	private void awaitEnd(String task) throws InterruptedException {
		for (int waited = 0; waited < 60_000; waited++) {
			String status = this.inspection.taskStatus(task).orElse("failure");
			if (!status.equals("pending") && !status.equals("processing")) {
				return;
			}
			Thread.sleep(1);
		}
	}

	/** This image's share of a region's task listings (newest first, a page of 100). */
	private void listTasks(Share share, String region, String type) throws IOException, InterruptedException {
		HttpRequest list = this.client
			.images(region, "/tasks?type=" + type + "&sort_key=created_at&sort_dir=desc&limit=100")
			.GET()
			.build();
		repeat(share.rest(list), () -> this.client.expect(list, 200));
	}

	/**
	 * Leaves an image's objects to a bulk delete, which the images finishing now send as
	 * often as the job did: the {@code k}th image to finish sends its share of the bulk
	 * deletes with every object left so far, so the last one leaves none.
	 */
	private void sweep(String manifest, String segment) throws IOException, InterruptedException {
		Map<String, List<List<String>>> batches = new TreeMap<>();
		synchronized (this.unswept) {
			int k = this.finished++;
			for (Map.Entry<String, String> container : CONTAINERS.entrySet()) {
				List<String> paths = this.unswept.get(container.getKey());
				paths.add("/" + container.getValue() + "/" + manifest);
				paths.add("/" + container.getValue() + "/" + segment);
				int due = this.mix.share(SimulatorClient.kind(bulkDelete(container.getKey(), "")), k);
				if (due > 0) {
					List<List<String>> split = new ArrayList<>();
					for (int b = 0; b < due; b++) {
						split.add(new ArrayList<>(paths.subList(paths.size() * b / due, paths.size() * (b + 1) / due)));
					}
					batches.put(container.getKey(), split);
					paths.clear();
				}
			}
		}
		for (Map.Entry<String, List<List<String>>> region : batches.entrySet()) {
			for (List<String> batch : region.getValue()) {
				HttpRequest delete = bulkDelete(region.getKey(), String.join("\n", batch) + "\n");
				JsonNode deleted = json(this.client.expect(delete, 200));
				if (deleted.path("Number Deleted").asInt() != batch.size()) {
					this.client.miss(SimulatorClient.kind(delete), "deleted " + deleted + " of " + batch);
				}
			}
		}
	}

	private HttpRequest bulkDelete(String region, String paths) {
		return this.client.files(region, "?bulk-delete")
			.header("Content-Type", "text/plain")
			.header("Accept", "application/json")
			.method("DELETE", body(paths))
			.build();
	}

	/**
	 * One image's share of each kind of request, taken as its requests go out: a kind
	 * sent at two points takes one at the first and the rest at the second.
	 */
	private final class Share {

		private final int image;

		private final Map<String, Integer> taken = new HashMap<>();

		Share(int image) {
			this.image = image;
		}

		int take(HttpRequest request, int atMost) {
			String kind = SimulatorClient.kind(request);
			int left = SimulatorBench.this.mix.share(kind, this.image) - this.taken.getOrDefault(kind, 0);
			int now = Math.max(0, Math.min(atMost, left));
			this.taken.merge(kind, now, Integer::sum);
			return now;
		}

		int rest(HttpRequest request) {
			return take(request, Integer.MAX_VALUE);
		}

	}

	private static void repeat(int times, Send send) throws IOException, InterruptedException {
		for (int t = 0; t < times; t++) {
			send.run();
		}
	}

	@FunctionalInterface
	private interface Send {

		void run() throws IOException, InterruptedException;

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

}

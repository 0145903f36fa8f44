package org.imageferry.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.imageferry.ingest.Provenance;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.Faults;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * The simulated cloud of a {@link HeartRig}, as its tests script it (images placed in a
 * region, an outage, a limit on task POSTs) and read its record back (requests, tasks,
 * images, objects). Alice's account is on both sides, {@link #SOURCE} to {@link #TARGET}.
 */
public final class ScriptedCloud implements AutoCloseable {

	public static final String SOURCE = "DFW";

	public static final String TARGET = "IAD";

	static final long MIB = 1024 * 1024;

	private final SimulatedCloud cloud;

	private final Account alice;

	ScriptedCloud(SimulatorConfig.Builder config, Clock clock) throws Exception {
		this.cloud = SimulatedCloud.start(config.clock(clock).build());
		this.alice = this.cloud.config().accounts().get(0);
	}

	/** A cloud whose tasks end as soon as they start, in real time. */
	public static SimulatorConfig.Builder quickTasks() {
		return SimulatorConfig.builder().segmentSize(MIB).taskLatency(Duration.ZERO, Duration.ZERO);
	}

	/** A cloud whose tasks stay in flight for as long as a test runs. */
	public static SimulatorConfig.Builder slowTasks() {
		return SimulatorConfig.builder().segmentSize(MIB).taskLatency(Duration.ofHours(1), Duration.ofHours(1));
	}

	String identityUrl() {
		return this.cloud.identityUrl();
	}

	Account alice() {
		return this.alice;
	}

	// --- what the test places and changes

	/** An exportable 1 MiB image of alice's in the source region, with some metadata. */
	public String seed(String name) {
		return seed(ImageSeed.of(SOURCE, this.alice.tenantId(), name, SyntheticVhd.fixed(MIB, name.hashCode()))
			.withMetadata(10, 1024, List.of("web"), Map.of("app", name)));
	}

	/**
	 * An image of alice's in the source region, {@code virtualSize} bytes and a footer,
	 * with {@code properties} over those Rackspace gives a snapshot.
	 */
	public String seed(String name, long virtualSize, Map<String, String> properties) {
		return seed(ImageSeed.of(SOURCE, this.alice.tenantId(), name, SyntheticVhd.fixed(virtualSize, 5))
			.withMetadata(20, 512, List.of(), properties));
	}

	/**
	 * An exportable image of alice's in the source region, in {@code status} (e.g.
	 * {@code saving}: a snapshot still being taken).
	 */
	public String seedInStatus(String name, String status) {
		return seed(ImageSeed.of(SOURCE, this.alice.tenantId(), name, SyntheticVhd.fixed(MIB, 11)).withStatus(status));
	}

	/** Another account's image that alice can see (public), in the source region. */
	public String seedOthers(String name) {
		Account bob = this.cloud.config().accounts().get(1);
		return seed(ImageSeed.of(SOURCE, bob.tenantId(), name, SyntheticVhd.fixed(MIB, 7)).withVisibility("public"));
	}

	/**
	 * An image in the target region that an earlier run migrated from {@code sourceId}.
	 */
	public String migratedEarlier(String sourceId) {
		return seed(ImageSeed.of(TARGET, this.alice.tenantId(), "earlier", SyntheticVhd.fixed(MIB, 9))
			.withMetadata(20, 512, List.of(), Map.of(Provenance.PROPERTY, Provenance.value(SOURCE, sourceId))));
	}

	/**
	 * A new image of alice's in the target region, with only a name, as an import makes.
	 */
	String importedImage(String name) {
		return seed(ImageSeed.of(TARGET, this.alice.tenantId(), name, SyntheticVhd.fixed(MIB, 3)));
	}

	private String seed(ImageSeed seed) {
		return this.cloud.addImage(seed);
	}

	/** A fresh image id the cloud does not know. */
	public static String unknownImage() {
		return UUID.randomUUID().toString();
	}

	/** Every request of the Images and Cloud Files APIs answers 503 from now on. */
	public void outage() {
		this.cloud.faults(Faults.builder().serviceUnavailableRate(1.0).build());
	}

	public void outageOver() {
		this.cloud.faults(Faults.none());
	}

	/**
	 * Limits task POSTs per region to {@code perMinute} (413 with Retry-After beyond).
	 */
	public void taskPostsPerMinute(int perMinute) {
		this.cloud.rules(this.cloud.rules().toBuilder().taskPostsPerMinute(perMinute).build());
	}

	/** Waits (real time, briefly) until no task is pending or processing. */
	public void awaitTasksEnded() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (this.cloud.inspect()
			.tasks()
			.stream()
			.anyMatch((t) -> t.status().equals("pending") || t.status().equals("processing"))) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("tasks still running: " + this.cloud.inspect().tasks());
			}
			Thread.sleep(10);
		}
	}

	// --- what the test reads back

	/** Task POSTs to a region, in order, answered or refused. */
	public List<Inspection.RequestView> taskPosts(String region) {
		return requests(0).stream()
			.filter((r) -> r.region().equals(region) && r.method().equals("POST") && r.path().endsWith("/v2/tasks"))
			.toList();
	}

	/** Listings of a region's tasks, in order. */
	public List<Inspection.RequestView> taskListings(String region) {
		return requests(0).stream()
			.filter((r) -> r.region().equals(region) && r.method().equals("GET") && r.path().endsWith("/v2/tasks"))
			.toList();
	}

	/**
	 * The requests the cloud answered from the {@code from}th on. The simulator logs a
	 * request just after answering it, so the log is read once it has been still for a
	 * moment: the answer a cycle just read is in it.
	 */
	public List<Inspection.RequestView> requests(int from) {
		List<Inspection.RequestView> all = this.cloud.inspect().requests();
		for (int i = 0; i < 100; i++) {
			sleep(Duration.ofMillis(10));
			List<Inspection.RequestView> again = this.cloud.inspect().requests();
			if (again.size() == all.size()) {
				break;
			}
			all = again;
		}
		return all.subList(Math.min(from, all.size()), all.size());
	}

	/** The export tasks the cloud holds for an image. */
	public List<Inspection.TaskView> exportsOf(String imageId) {
		return this.cloud.inspect()
			.tasks()
			.stream()
			.filter((t) -> t.type().equals("export") && t.input().path("image_uuid").asText().equals(imageId))
			.toList();
	}

	/** The provenance property of an image in the target region, or null. */
	public String provenanceOf(String targetImageId) {
		return this.cloud.inspect()
			.images()
			.stream()
			.filter((i) -> i.id().equals(targetImageId))
			.findFirst()
			.orElseThrow()
			.properties()
			.get(Provenance.PROPERTY);
	}

	/** alice's objects in the target region's Cloud Files. */
	public List<Inspection.ObjectView> targetObjects() {
		return objects(TARGET);
	}

	/** alice's objects in a region's Cloud Files. */
	public List<Inspection.ObjectView> objects(String region) {
		return this.cloud.inspect().objects(region, this.alice.tenantId());
	}

	/** MD5 of what a GET of alice's object in a region streams (a large object whole). */
	public String md5(String region, String container, String object) throws java.io.IOException {
		return this.cloud.inspect().md5(region, this.alice.tenantId(), container, object);
	}

	/**
	 * The imports of an image in one region fail from now on, with seed code 396; the
	 * other regions' succeed.
	 */
	public void importsFailIn(String region, String imageId) {
		this.cloud.faults(Faults.builder().forcedImportFailures(Map.of(region + ":" + imageId, 396)).build());
	}

	private static void sleep(Duration time) {
		try {
			Thread.sleep(time.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.cloud.close();
	}

}

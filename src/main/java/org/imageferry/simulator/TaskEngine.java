package org.imageferry.simulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.imageferry.simulator.content.Content;

/**
 * Runs tasks through their life: a quarter of its time pending, the rest processing, then
 * the work itself: an export writes the image as a Dynamic Large Object, an import
 * validates the VHD as Rackspace does ({@link VhdCheck}) and creates the image. A task's
 * time is {@link Rules#taskTime} of the bytes it moves, read when it starts: the source
 * image's size for an export, the object's (large objects resolved) for an import.
 */
final class TaskEngine implements AutoCloseable {

	private final SimulatorConfig config;

	private final Images images;

	private final ObjectStore store;

	private final Supplier<Faults> faults;

	private final Supplier<Rules> rules;

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (r) -> {
		Thread t = new Thread(r, "simulator-tasks");
		t.setDaemon(true);
		return t;
	});

	TaskEngine(SimulatorConfig config, Images images, ObjectStore store, Supplier<Faults> faults,
			Supplier<Rules> rules) {
		this.config = config;
		this.rules = rules;
		this.images = images;
		this.store = store;
		this.faults = faults;
	}

	Clock clock() {
		return this.config.clock();
	}

	void start(SimTask task, Account account) {
		Duration latency = this.rules.get().taskTime(task.type, bytes(task, account));
		long total = latency.toMillis();
		this.scheduler.schedule(task::processing, total / 4, TimeUnit.MILLISECONDS);
		this.scheduler.schedule(() -> finish(task, account), total, TimeUnit.MILLISECONDS);
	}

	/**
	 * How many bytes the task will move, as far as can be told now (0 when its image or
	 * object is missing: the task will fail, quickly).
	 */
	private long bytes(SimTask task, Account account) {
		if (task.type.equals("export")) {
			return this.images.find(task.region, task.input.path("image_uuid").asText())
				.map((image) -> image.content.length())
				.orElse(0L);
		}
		String from = task.input.path("import_from").asText();
		int slash = from.indexOf('/');
		if (slash <= 0) {
			return 0;
		}
		return this.store
			.get(task.region, account.storageAccount(), from.substring(0, slash), from.substring(slash + 1))
			.map((object) -> this.store.resolve(task.region, account.storageAccount(), object).content().length())
			.orElse(0L);
	}

	private void finish(SimTask task, Account account) {
		task.processing();
		Instant expires = this.config.clock().instant().plus(this.config.taskExpiry());
		try {
			ObjectNode result = task.type.equals("export") ? export(task, account) : ingest(task, account);
			task.succeed(result, expires);
		}
		catch (TaskFailure ex) {
			task.fail(ex.getMessage(), expires);
		}
		catch (IOException | RuntimeException ex) {
			task.fail("Internal error while processing the task: " + ex.getMessage(), expires);
		}
	}

	private ObjectNode export(SimTask task, Account account) throws IOException {
		String imageId = task.input.path("image_uuid").asText();
		String container = task.input.path("receiving_swift_container").asText();
		String forced = this.faults.get().forcedExportFailures().get(imageId);
		if (forced != null) {
			throw new TaskFailure(forced);
		}
		SimImage image = this.images.find(task.region, imageId)
			.filter((i) -> i.visibleTo(account.tenantId()))
			.orElseThrow(() -> new TaskFailure("Image " + imageId + " could not be found."));
		if (!image.owner.equals(account.tenantId())) {
			throw new TaskFailure("You must own image " + imageId + " to export it.");
		}
		if (!"0".equals(image.properties.get(SimImage.OPTIONS))) {
			throw new TaskFailure("Image " + imageId + " cannot be exported: its " + SimImage.OPTIONS + " is '"
					+ image.properties.get(SimImage.OPTIONS) + "'.");
		}
		if (container.contains("/") || container.contains("?") || container.contains(".")) {
			throw new TaskFailure("Invalid container name '" + container + "': it must not contain '/', '?' or '.'.");
		}
		String storage = account.storageAccount();
		if (!this.store.hasContainer(task.region, storage, container)) {
			throw new TaskFailure("Swift container '" + container + "' does not exist.");
		}
		String manifest = imageId + ".vhd";
		if (this.store.get(task.region, storage, container, manifest).isPresent()) {
			throw new TaskFailure(
					"Swift already has an object with id '" + manifest + "' in container '" + container + "'");
		}
		Content content = image.content;
		long size = this.config.segmentSize();
		int segments = (int) Math.max(1, (content.length() + size - 1) / size);
		for (int i = 0; i < segments; i++) {
			long offset = i * size;
			Content segment = content.slice(offset, Math.min(size, content.length() - offset));
			put(task.region, storage, container, String.format("%s-%05d", manifest, i + 1), segment,
					Upload.md5(segment), null);
		}
		put(task.region, storage, container, manifest, content.slice(0, 0), ObjectStore.md5Hex(""),
				container + "/" + manifest + "-");
		ObjectNode result = Exchange.JSON.createObjectNode();
		result.put("export_location", container + "/" + manifest);
		return result;
	}

	private void put(String region, String storage, String container, String name, Content content, String md5,
			String dloManifest) {
		Instant now = this.config.clock().instant();
		this.store.put(region, storage, container, new StoredObject(name, content, md5, "application/octet-stream", now,
				Map.of(), dloManifest, null, this.store.visibleAt(now)));
	}

	private ObjectNode ingest(SimTask task, Account account) throws IOException {
		String from = task.input.path("import_from").asText();
		String name = task.input.path("image_properties").path("name").asText();
		int slash = from.indexOf('/');
		if (slash <= 0 || slash == from.length() - 1) {
			throw new TaskFailure("Invalid import_from '" + from + "': expected <container>/<object>.");
		}
		String container = from.substring(0, slash);
		String objectName = from.substring(slash + 1);
		Optional<Integer> forced = this.faults.get()
			.forcedImportFailures()
			.entrySet()
			.stream()
			.filter((e) -> objectName.startsWith(e.getKey()) || (task.region + ":" + objectName).startsWith(e.getKey()))
			.map(Map.Entry::getValue)
			.findFirst();
		if (forced.isPresent()) {
			throw new TaskFailure(ImportRefusal.ofCode(forced.get())
				.map(ImportRefusal::message)
				.orElse(forced.get() + ": The image cannot be imported."));
		}
		StoredObject object = this.store.get(task.region, account.storageAccount(), container, objectName)
			.orElseThrow(() -> new TaskFailure(
					"Swift could not find object '" + objectName + "' in container '" + container + "'."));
		ObjectStore.Resolved resolved = this.store.resolve(task.region, account.storageAccount(), object);
		Optional<ImportRefusal> refusal = VhdCheck.check(resolved.content(), this.rules.get().importSizeLimit());
		if (refusal.isPresent()) {
			throw new TaskFailure(refusal.get().message());
		}
		SimImage image = new SimImage(UUID.randomUUID().toString(), task.region, account.tenantId(), name,
				resolved.content(), ObjectStore.md5Hex(task.region + resolved.etag()), this.config.clock());
		image.properties.putAll(RackspaceProperties.imported());
		this.images.add(image);
		ObjectNode result = Exchange.JSON.createObjectNode();
		result.put("image_id", image.id);
		return result;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	/** A task's failure, with the message the task will show. */
	static final class TaskFailure extends RuntimeException {

		TaskFailure(String message) {
			super(message, null, false, false);
		}

	}

}

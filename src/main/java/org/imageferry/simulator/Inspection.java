package org.imageferry.simulator;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What tests (and the admin endpoint) may read back from a simulated cloud: every task
 * ever created, expired ones included, every image, every object and every request served
 * — so a test can prove, for instance, that no duplicate task was created.
 */
public final class Inspection {

	/** A task as the simulator recorded it. */
	public record TaskView(String id, String type, String region, String owner, String status, String message,
			JsonNode input, JsonNode result, Instant createdAt) {
	}

	/** An image as the simulator holds it. */
	public record ImageView(String id, String region, String owner, String name, String status, long size, int minDisk,
			int minRam, List<String> tags, Map<String, String> properties) {
	}

	/**
	 * An object in Cloud Files; {@code bytes} is what a GET streams (large objects
	 * concatenated).
	 */
	public record ObjectView(String region, String storageAccount, String container, String name, long bytes,
			String etag, String dloManifest, boolean staticLargeObject) {
	}

	/**
	 * A request the simulator answered.
	 *
	 * @param query the raw query string, or null
	 * @param at when it arrived, by the cloud's clock: a test can measure the gaps
	 * between requests
	 */
	public record RequestView(String service, String region, String method, String path, int status, String query,
			Instant at) {
	}

	private final Tasks tasks;

	private final Images images;

	private final ObjectStore store;

	private final RequestLog requests;

	private final Identity identity;

	Inspection(Tasks tasks, Images images, ObjectStore store, RequestLog requests, Identity identity) {
		this.identity = identity;
		this.tasks = tasks;
		this.images = images;
		this.store = store;
		this.requests = requests;
	}

	public List<TaskView> tasks() {
		return this.tasks.all().stream().map((t) -> {
			JsonNode json = t.toJson();
			return new TaskView(t.id, t.type, t.region, t.owner, t.status(), json.path("message").asText(),
					json.get("input"), json.get("result"), t.createdAt);
		}).toList();
	}

	/**
	 * One task's status now ({@code pending}, {@code processing}, {@code success} or
	 * {@code failure}), or empty for an unknown id: cheaper than {@link #tasks()} for a
	 * benchmark that waits for each of thousands of tasks to end without a request.
	 */
	public Optional<String> taskStatus(String id) {
		return this.tasks.find(id).map(SimTask::status);
	}

	public List<ImageView> images() {
		return this.images.all().stream().map((i) -> {
			synchronized (i) {
				return new ImageView(i.id, i.region, i.owner, i.name, i.status, i.content.length(), i.minDisk, i.minRam,
						List.copyOf(i.tags), Map.copyOf(i.properties));
			}
		}).toList();
	}

	/** Every object of one account in one region, in container and name order. */
	public List<ObjectView> objects(String region, String tenantId) {
		String account = "MossoCloudFS_" + tenantId;
		List<ObjectView> views = new ArrayList<>();
		this.store.snapshot().forEach((key, objects) -> {
			String[] parts = key.split("/", 3);
			if (parts[0].equals(region) && parts[1].equals(account)) {
				for (StoredObject o : objects) {
					ObjectStore.Resolved resolved = this.store.resolve(region, account, o);
					views.add(new ObjectView(region, account, parts[2], o.name(), resolved.content().length(),
							resolved.etag(), o.dloManifest(), o.sloSegments() != null));
				}
			}
		});
		return views;
	}

	/** MD5 of what a GET of the object would stream, read in full. */
	public String md5(String region, String tenantId, String container, String object) throws IOException {
		String account = "MossoCloudFS_" + tenantId;
		StoredObject stored = this.store.get(region, account, container, object)
			.orElseThrow(() -> new IllegalArgumentException("no object " + container + "/" + object));
		return Upload.md5(this.store.resolve(region, account, stored).content());
	}

	/** MD5 of an image's bytes (what an export of it would write), read in full. */
	public String imageMd5(String imageId) throws IOException {
		SimImage image = this.images.all()
			.stream()
			.filter((i) -> i.id.equals(imageId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no image " + imageId));
		return Upload.md5(image.content);
	}

	/**
	 * Objects whose PUT body is being received right now, as
	 * {@code region/MossoCloudFS_<tenant>/container/object}: a test can act while an
	 * upload is in progress.
	 */
	public Set<String> uploadsInProgress() {
		return this.store.receiving();
	}

	/**
	 * Every object deleted, by whichever request (an object's DELETE, a bulk delete), in
	 * order, as {@code region/MossoCloudFS_<tenant>/container/object}.
	 */
	public List<String> deletedObjects() {
		return this.store.deleted();
	}

	public List<RequestView> requests() {
		return this.requests.all();
	}

	/**
	 * The ids of every token identity issued, expired ones included, so a test can look
	 * for them where they must not be.
	 */
	public List<String> issuedTokens() {
		return this.identity.issuedTokens();
	}

}

package org.imageferry.cloud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;

import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.image.v2.Task;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.image.v2.domain.GlanceImage;
import org.openstack4j.openstack.image.v2.domain.GlanceImageUpdate;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud Images v2 of one account in one region, through OpenStack4j: images, tasks and
 * JSON-patch updates. Every call gets its own OpenStack4j client built from the session's
 * shared access, is retried by the one retry rule, and fails as a typed
 * {@link CloudException}.
 */
public final class ImagesClient {

	private static final Logger log = LoggerFactory.getLogger(ImagesClient.class);

	/** Rackspace pages task listings at 100 at most. */
	static final int PAGE = 100;

	private final AccountSession session;

	private final String region;

	private final Retries retries;

	/** Set once a listing filtered by type was refused: from then on, filtered here. */
	private volatile boolean typeFilterRefused;

	private volatile Instant lastTaskListing;

	public ImagesClient(AccountSession session, String region, Retries retries) {
		this.session = session;
		this.region = region;
		this.retries = retries;
	}

	public String region() {
		return this.region;
	}

	public Optional<ImageInfo> image(String id) {
		return Optional.ofNullable(call("GET image " + id, (os) -> os.imagesV2().get(id))).map(ImagesClient::imageInfo);
	}

	/**
	 * Images whose extra property {@code key} equals {@code value} (Glance filters on
	 * properties).
	 */
	public List<ImageInfo> imagesWithProperty(String key, String value) {
		Map<String, String> filters = new HashMap<>();
		filters.put(key, value);
		return call("GET images?" + key, (os) -> os.imagesV2().list(filters)).stream()
			.map(ImagesClient::imageInfo)
			.toList();
	}

	public TaskInfo createExport(String imageId, String container) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("image_uuid", imageId);
		input.put("receiving_swift_container", container);
		return create("export", input);
	}

	public TaskInfo createImport(String importFrom, String name) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("image_properties", Map.of("name", name));
		input.put("import_from", importFrom);
		return create("import", input);
	}

	/**
	 * Creates a task with one attempt only: a retried POST whose first answer was lost
	 * would create a second task. The caller records its intent first and, when the
	 * outcome is unknown, finds the task by listing.
	 */
	private TaskInfo create(String type, Map<String, Object> input) {
		Task task = Builders.taskBuilder().type(type).input(input).build();
		return info(callOnce("POST " + type + " task", (os) -> os.imagesV2().tasks().create(task)));
	}

	public Optional<TaskInfo> task(String id) {
		return Optional.ofNullable(call("GET task " + id, (os) -> os.imagesV2().tasks().get(id)))
			.map(ImagesClient::info);
	}

	/**
	 * Sparse entries of this account's tasks of one type, newest first, reading pages
	 * until one reaches tasks created before {@code since}, or until every task in
	 * {@code wanted} was listed (when it names any): one request per page, however many
	 * tasks are being watched.
	 * <p>
	 * The listing asks the service to filter by {@code type}, which Rackspace does not
	 * document and upstream Glance refuses (400) for a type it does not know. When the
	 * first page of a filtered listing is refused with 400 and the same page without the
	 * filter is not, the filter is dropped for good (this client lives as long as the
	 * run, so the refusal costs one request once) and the entries are filtered here:
	 * still one listing, paged the same way, only with the other type's entries on its
	 * pages.
	 */
	public List<TaskInfo> tasks(String type, Instant since, Set<String> wanted) {
		try {
			return listTasks(type, since, wanted);
		}
		finally {
			this.lastTaskListing = this.session.clock().instant();
		}
	}

	/**
	 * When the last task listing ended (after its last page or its last retry, answered
	 * or not), if there was one: what a caller paces its next listing from.
	 */
	public Optional<Instant> lastTaskListing() {
		return Optional.ofNullable(this.lastTaskListing);
	}

	private List<TaskInfo> listTasks(String type, Instant since, Set<String> wanted) {
		Set<String> missing = new HashSet<>(wanted);
		List<TaskInfo> listed = new ArrayList<>();
		String filter = this.typeFilterRefused ? null : type;
		String marker = null;
		while (true) {
			List<? extends Task> page;
			try {
				page = page(filter, marker);
			}
			catch (CloudException ex) {
				if (ex.status() != 400 || filter == null || marker != null) {
					throw ex;
				}
				page = page(null, null);
				filter = null;
				this.typeFilterRefused = true;
				log.info("{}; listing tasks of all types and keeping those of type {} instead, for the rest of the "
						+ "run", ex.getMessage(), type);
			}
			page.stream().map(ImagesClient::info).filter((task) -> type.equals(task.type())).forEach(listed::add);
			page.forEach((task) -> missing.remove(task.getId()));
			if (page.size() < PAGE || info(page.get(page.size() - 1)).createdAt().isBefore(since)
					|| (!wanted.isEmpty() && missing.isEmpty())) {
				return listed;
			}
			marker = page.get(page.size() - 1).getId();
		}
	}

	/**
	 * One page of the listing, newest first, filtered by {@code type} when not null.
	 */
	private List<? extends Task> page(String type, String marker) {
		Map<String, String> filters = new HashMap<>();
		if (type != null) {
			filters.put("type", type);
		}
		filters.put("sort_key", "created_at");
		filters.put("sort_dir", "desc");
		filters.put("limit", Integer.toString(PAGE));
		if (marker != null) {
			filters.put("marker", marker);
		}
		return call("GET tasks" + ((type != null) ? "?type=" + type : ""), (os) -> os.imagesV2().tasks().list(filters));
	}

	/**
	 * Applies a JSON patch ({@code application/openstack-images-v2.1-json-patch}, the
	 * media type OpenStack4j sets and {@link JdkHttpConnector} keeps).
	 */
	public void patch(String imageId, List<PatchOperation> operations) {
		if (call("PATCH image " + imageId,
				(os) -> os.imagesV2().update(imageId, new GlanceImageUpdate(operations))) == null) {
			throw CloudException.permanent(
					"PATCH image " + imageId + " in " + this.region + " answered 404: the image does not exist", 404);
		}
	}

	private <T> T call(String what, Function<OSClient.OSClientV2, T> call) {
		return this.retries.call(this.region, what + " in " + this.region, () -> callOnce(what, call));
	}

	private <T> T callOnce(String what, Function<OSClient.OSClientV2, T> call) {
		String where = what + " in " + this.region;
		return this.session.withAccess((access) -> {
			try {
				T result = call.apply(OSFactory.clientFromAccess(access, this.session.config()).useRegion(this.region));
				// OpenStack4j answers a 404 on a read with null
				observe((result == null) ? 404 : 200);
				return result;
			}
			catch (AuthenticationException ex) {
				observe(401);
				throw CloudException.ofStatus(where, 401, ex.getMessage(), null);
			}
			catch (ConnectionException ex) {
				observe(0);
				throw CloudException.retryable(where + " failed: " + AccountSession.rootMessage(ex), 0, null, ex);
			}
			catch (ResponseException ex) {
				observe(ex.getStatus());
				throw CloudException.ofStatus(where, ex.getStatus(), ex.getMessage(), RetryAfter.of(ex));
			}
		});
	}

	private void observe(int status) {
		this.retries.observer().answered(this.region, "image", status);
	}

	static ImageInfo imageInfo(Image image) {
		GlanceImage glance = (GlanceImage) image;
		Map<String, String> properties = new HashMap<>();
		if (glance.getAdditionalProperties() != null) {
			properties.putAll(glance.getAdditionalProperties());
		}
		// OpenStack4j binds these well-known properties to fields of their own
		putIfSet(properties, "os_distro", glance.getOsDistro());
		putIfSet(properties, "os_version", glance.getOsVersion());
		putIfSet(properties, "architecture", glance.getArchitecture());
		putIfSet(properties, "kernel_id", glance.getKernelId());
		putIfSet(properties, "ramdisk_id", glance.getRamdiskId());
		putIfSet(properties, "instance_uuid", glance.getInstanceUuid());
		return new ImageInfo(image.getId(), image.getName(),
				(image.getStatus() != null) ? image.getStatus().name().toLowerCase(Locale.ROOT) : null,
				image.getOwner(), (image.getSize() != null) ? image.getSize() : 0,
				(image.getMinDisk() != null) ? image.getMinDisk().intValue() : 0,
				(image.getMinRam() != null) ? image.getMinRam().intValue() : 0,
				(image.getTags() != null) ? List.copyOf(image.getTags()) : List.of(), Map.copyOf(properties));
	}

	private static void putIfSet(Map<String, String> properties, String key, String value) {
		if (value != null) {
			properties.put(key, value);
		}
	}

	static TaskInfo info(Task task) {
		return new TaskInfo(task.getId(), task.getType(),
				(task.getStatus() != null) ? task.getStatus().name().toLowerCase(Locale.ROOT) : null, task.getMessage(),
				(task.getInput() != null) ? task.getInput() : Map.of(),
				(task.getResult() != null) ? task.getResult() : Map.of(),
				(task.getCreatedAt() != null) ? task.getCreatedAt().toInstant() : Instant.EPOCH,
				(task.getUpdatedAt() != null) ? task.getUpdatedAt().toInstant() : Instant.EPOCH);
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cloud Images v2's image calls: {@code GET /v2/images} (limit, marker, and filters on
 * fields and properties), {@code GET /v2/images/{id}}, {@code PATCH /v2/images/{id}} with
 * the v2.1 JSON-patch media type ({@link ImagePatch}: protections and quotas),
 * {@code DELETE /v2/images/{id}}, and {@code PUT}/{@code DELETE} of
 * {@code /v2/images/{id}/tags/{tag}} ({@link ImageTags}). A tenant sees its own images
 * and public ones.
 * <p>
 * Images are kept per region in listing order, and indexed by their extra properties: a
 * listing filtered on a property (image-ferry asks for {@code image_ferry_source} once
 * per image) reads only the images that have it, and an unfiltered one stops when its
 * page is full.
 */
final class Images {

	static final String PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

	private static final Set<String> NOT_FILTERS = Set.of("limit", "marker", "sort_key", "sort_dir");

	/**
	 * The fields an image's JSON shows besides its extra properties: a filter on one of
	 * these is not looked up in the property index.
	 */
	private static final Set<String> FIELDS = Set.of("id", "name", "status", "visibility", "protected", "owner", "size",
			"virtual_size", "checksum", "container_format", "disk_format", "min_disk", "min_ram", "tags", "created_at",
			"updated_at", "self", "file", "schema");

	/** The listing order: creation time, then id. */
	static final Comparator<SimImage> CREATED = Comparator.comparing((SimImage i) -> i.createdAt)
		.thenComparing((SimImage i) -> i.id);

	private final Supplier<Rules> rules;

	private final Map<String, SimImage> byId = new ConcurrentHashMap<>();

	private final Map<String, NavigableSet<SimImage>> byRegion = new ConcurrentHashMap<>();

	/** Property key → value → the images that have it. */
	private final Map<String, Map<String, Set<SimImage>>> byProperty = new ConcurrentHashMap<>();

	/**
	 * The properties each image is indexed under, by image id; changed under the image's
	 * lock.
	 */
	private final Map<String, Map<String, String>> indexed = new ConcurrentHashMap<>();

	Images(Supplier<Rules> rules) {
		this.rules = rules;
	}

	void add(SimImage image) {
		synchronized (image) {
			this.byId.put(image.id, image);
			region(image.region).add(image);
			reindex(image);
		}
	}

	private NavigableSet<SimImage> region(String region) {
		return this.byRegion.computeIfAbsent(region, (r) -> new ConcurrentSkipListSet<>(CREATED));
	}

	private void remove(SimImage image) {
		synchronized (image) {
			this.byId.remove(image.id);
			region(image.region).remove(image);
			reindex(image);
		}
	}

	/**
	 * Brings the property index in line with the image (called under its lock): new
	 * entries are added before stale ones go, so a listing running meanwhile finds the
	 * image under its old or its new properties.
	 */
	private void reindex(SimImage image) {
		Map<String, String> now = new HashMap<>();
		if (this.byId.get(image.id) == image) {
			image.properties.forEach((key, value) -> {
				if (value != null) {
					now.put(key, value);
				}
			});
		}
		Map<String, String> before = this.indexed.getOrDefault(image.id, Map.of());
		// each value's set changes only inside compute(), so an emptied set is never
		// dropped while another image is being added to it
		now.forEach((key, value) -> {
			if (!value.equals(before.get(key))) {
				this.byProperty.computeIfAbsent(key, (k) -> new ConcurrentHashMap<>()).compute(value, (v, images) -> {
					Set<SimImage> having = (images != null) ? images : ConcurrentHashMap.newKeySet();
					having.add(image);
					return having;
				});
			}
		});
		before.forEach((key, value) -> {
			Map<String, Set<SimImage>> values = this.byProperty.get(key);
			if (!value.equals(now.get(key)) && values != null) {
				values.computeIfPresent(value, (v, images) -> {
					images.remove(image);
					return images.isEmpty() ? null : images;
				});
			}
		});
		if (now.isEmpty()) {
			this.indexed.remove(image.id);
		}
		else {
			this.indexed.put(image.id, now);
		}
	}

	Optional<SimImage> find(String region, String id) {
		return Optional.ofNullable(this.byId.get(id)).filter((i) -> i.region.equals(region));
	}

	List<SimImage> all() {
		return this.byId.values().stream().sorted(CREATED).toList();
	}

	void handle(Exchange ex, String region, Identity.Token token, List<String> rest) throws IOException {
		String tenant = token.account().tenantId();
		if (rest.size() == 1) {
			if (!ex.method().equals("GET")) {
				throw new ApiError(405, "Method Not Allowed");
			}
			list(ex, region, tenant);
			return;
		}
		SimImage image = find(region, rest.get(1)).filter((i) -> i.visibleTo(tenant))
			.orElseThrow(() -> new ApiError(404, "No image found with ID " + rest.get(1)));
		if (rest.size() == 4 && rest.get(2).equals("tags")) {
			ImageTags.handle(ex, image, tenant, rest.get(3));
			return;
		}
		if (rest.size() > 2) {
			throw new ApiError(404, "Not Found");
		}
		switch (ex.method()) {
			case "GET" -> ex.sendJson(200, image.toJson());
			case "PATCH" -> {
				if (!PATCH_TYPE.equals(ex.mediaType())) {
					throw new ApiError(415,
							"Unsupported Content-Type '" + ex.header("Content-Type") + "': use " + PATCH_TYPE);
				}
				requireOwner(image, tenant);
				JsonNode patch = ex.readJson();
				synchronized (image) {
					ImagePatch.apply(image, patch, this.rules.get().protectedProperties());
					reindex(image);
				}
				ex.sendJson(200, image.toJson());
			}
			case "DELETE" -> {
				requireOwner(image, tenant);
				if (image.isProtected) {
					throw new ApiError(403, "Image " + image.id + " is protected and cannot be deleted.");
				}
				remove(image);
				ex.sendEmpty(204);
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
	}

	private static void requireOwner(SimImage image, String tenant) {
		if (!image.owner.equals(tenant)) {
			throw new ApiError(403, "You are not permitted to modify image " + image.id);
		}
	}

	private void list(Exchange ex, String region, String tenant) throws IOException {
		int limit = Paging.limit(ex, 25, 1000);
		Map<String, String> query = ex.query();
		Iterable<SimImage> walk = candidates(region, query);
		String marker = ex.query("marker");
		if (marker != null) {
			SimImage from = find(region, marker).orElse(null);
			if (from == null || !from.visibleTo(tenant) || !matches(from.toJson(), query)) {
				throw new ApiError(400, "marker not found: " + marker);
			}
			walk = (walk instanceof NavigableSet<SimImage> set) ? set.tailSet(from, false) : after(walk, from);
		}
		List<ObjectNode> page = new ArrayList<>();
		for (SimImage image : walk) {
			if (page.size() >= limit) {
				break;
			}
			if (image.region.equals(region) && image.visibleTo(tenant) && this.byId.get(image.id) == image) {
				ObjectNode json = image.toJson();
				if (matches(json, query)) {
					page.add(json);
				}
			}
		}
		ObjectNode body = Exchange.JSON.createObjectNode();
		ArrayNode images = body.putArray("images");
		page.forEach(images::add);
		body.put("schema", "/v2/schemas/images");
		body.put("first", "/v2/images" + Paging.query(ex, null));
		if (limit > 0 && page.size() == limit) {
			body.put("next", "/v2/images" + Paging.query(ex, page.get(page.size() - 1).get("id").asText()));
		}
		ex.sendJson(200, body);
	}

	/**
	 * The images a listing has to look at, in listing order: those with the rarest of the
	 * property values the query filters on, or else every image of the region.
	 */
	private Iterable<SimImage> candidates(String region, Map<String, String> query) {
		Set<SimImage> fewest = null;
		for (Map.Entry<String, String> filter : query.entrySet()) {
			String key = filter.getKey();
			if (NOT_FILTERS.contains(key) || FIELDS.contains(key) || key.equals("tag")) {
				continue;
			}
			Set<SimImage> having = this.byProperty.getOrDefault(key, Map.of())
				.getOrDefault(filter.getValue(), Set.of());
			if (fewest == null || having.size() < fewest.size()) {
				fewest = having;
			}
		}
		if (fewest == null) {
			return region(region);
		}
		List<SimImage> sorted = new ArrayList<>(fewest);
		sorted.sort(CREATED);
		return sorted;
	}

	private static List<SimImage> after(Iterable<SimImage> images, SimImage marker) {
		List<SimImage> after = new ArrayList<>();
		images.forEach((i) -> {
			if (CREATED.compare(i, marker) > 0) {
				after.add(i);
			}
		});
		return after;
	}

	private static boolean matches(ObjectNode image, Map<String, String> query) {
		for (Map.Entry<String, String> filter : query.entrySet()) {
			if (NOT_FILTERS.contains(filter.getKey())) {
				continue;
			}
			if (filter.getKey().equals("tag")) {
				if (!image.path("tags").toString().contains('"' + filter.getValue() + '"')) {
					return false;
				}
				continue;
			}
			if (!image.has(filter.getKey()) || !image.get(filter.getKey()).asText().equals(filter.getValue())) {
				return false;
			}
		}
		return true;
	}

}

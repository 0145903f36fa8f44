package org.imageferry.simulator;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cloud Images v2's image calls: {@code GET /v2/images} (limit, marker, and filters on
 * fields and properties), {@code GET /v2/images/{id}}, {@code PATCH /v2/images/{id}} with
 * the v2.1 JSON-patch media type, {@code DELETE /v2/images/{id}}. A tenant sees its own
 * images and public ones.
 */
final class Images {

	static final String PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

	private static final Set<String> NOT_FILTERS = Set.of("limit", "marker", "sort_key", "sort_dir");

	private final Map<String, SimImage> byId = new ConcurrentHashMap<>();

	void add(SimImage image) {
		this.byId.put(image.id, image);
	}

	Optional<SimImage> find(String region, String id) {
		return Optional.ofNullable(this.byId.get(id)).filter((i) -> i.region.equals(region));
	}

	List<SimImage> all() {
		return this.byId.values().stream().sorted(Comparator.comparing((SimImage i) -> i.createdAt)).toList();
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
				ImagePatch.apply(image, ex.readJson());
				ex.sendJson(200, image.toJson());
			}
			case "DELETE" -> {
				requireOwner(image, tenant);
				if (image.isProtected) {
					throw new ApiError(403, "Image " + image.id + " is protected and cannot be deleted.");
				}
				this.byId.remove(image.id);
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
		List<ObjectNode> visible = all().stream()
			.filter((i) -> i.region.equals(region) && i.visibleTo(tenant))
			.map(SimImage::toJson)
			.filter((json) -> matches(json, ex.query()))
			.toList();
		Paging.Page<ObjectNode> page = Paging.page(visible, (json) -> json.get("id").asText(), ex.query("marker"),
				limit);
		ObjectNode body = Exchange.JSON.createObjectNode();
		ArrayNode images = body.putArray("images");
		page.items().forEach(images::add);
		body.put("schema", "/v2/schemas/images");
		body.put("first", "/v2/images" + Paging.query(ex, null));
		if (page.next() != null) {
			body.put("next", "/v2/images" + Paging.query(ex, page.next()));
		}
		ex.sendJson(200, body);
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

package org.imageferry.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.imageferry.simulator.content.Concat;

/**
 * Static Large Object manifests ({@code ?multipart-manifest=put|get|delete}): at most
 * 1,000 segments, each at least 1 MiB except the last, each present with the size and
 * etag the manifest states.
 */
final class LargeObjects {

	static final int MAX_SEGMENTS = 1000;

	static final long MIN_SEGMENT = 1024 * 1024;

	/** The most of a manifest's JSON that {@link Exchange#readJson()} reads. */
	static final int MAX_MANIFEST_SIZE = 1 << 20;

	private final ObjectStore store;

	LargeObjects(ObjectStore store) {
		this.store = store;
	}

	StoredObject sloManifest(JsonNode manifest, String region, String account, String name, String contentType,
			Map<String, String> metadata) {
		if (!manifest.isArray() || manifest.isEmpty()) {
			throw new ApiError(400, "Manifest must be a non-empty JSON list of segments");
		}
		if (manifest.size() > MAX_SEGMENTS) {
			throw new ApiError(400, "Too many segments: " + manifest.size() + " (max " + MAX_SEGMENTS + ")");
		}
		List<StoredObject.SloSegment> segments = new ArrayList<>();
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < manifest.size(); i++) {
			JsonNode entry = manifest.get(i);
			String path = entry.path("path").asText("").replaceFirst("^/", "");
			int slash = path.indexOf('/');
			if (slash <= 0 || slash == path.length() - 1) {
				errors
					.add("Index " + i + ": path must be /container/object, got '" + entry.path("path").asText() + "'");
				continue;
			}
			String container = path.substring(0, slash);
			String object = path.substring(slash + 1);
			StoredObject stored = this.store.get(region, account, container, object).orElse(null);
			if (stored == null) {
				errors.add(path + ": 404 Not Found");
				continue;
			}
			long size = stored.content().length();
			if (entry.hasNonNull("size_bytes") && entry.get("size_bytes").asLong() != size) {
				errors.add(path + ": Size Mismatch (manifest " + entry.get("size_bytes").asLong() + ", object " + size
						+ ")");
			}
			if (entry.hasNonNull("etag") && !entry.get("etag").asText().replace("\"", "").equals(stored.etag())) {
				errors.add(path + ": Etag Mismatch");
			}
			if (size < MIN_SEGMENT && i < manifest.size() - 1) {
				errors.add(path + ": Too Small; each segment, except the last, must be at least " + MIN_SEGMENT
						+ " bytes.");
			}
			segments.add(new StoredObject.SloSegment(container, object, stored.etag(), size));
		}
		if (!errors.isEmpty()) {
			throw new ApiError(400, "Errors:\n" + String.join("\n", errors));
		}
		Instant now = this.store.clock().instant();
		StringBuilder etags = new StringBuilder();
		segments.forEach((s) -> etags.append(s.etag()));
		return new StoredObject(name,
				Concat.of(segments.stream()
					.map((s) -> this.store.get(region, account, s.container(), s.object()).orElseThrow().content())
					.toList()),
				ObjectStore.md5Hex(etags.toString()), contentType, now, metadata, null, List.copyOf(segments),
				this.store.visibleAt(now));
	}

	ArrayNode manifestJson(StoredObject slo) {
		ArrayNode json = Exchange.JSON.createArrayNode();
		for (StoredObject.SloSegment s : slo.sloSegments()) {
			json.addObject()
				.put("name", "/" + s.container() + "/" + s.object())
				.put("hash", s.etag())
				.put("bytes", s.size())
				.put("content_type", "application/octet-stream")
				.put("last_modified", SwiftTime.listingDate(slo.lastModified()));
		}
		return json;
	}

	/**
	 * Deletes an SLO's segments and then its manifest; a plain object is just deleted.
	 */
	ObjectNode deleteSlo(String region, String account, String container, String name) {
		StoredObject manifest = this.store.get(region, account, container, name)
			.orElseThrow(() -> new ApiError(404, "Not Found"));
		int deleted = 0;
		int notFound = 0;
		if (manifest.sloSegments() != null) {
			for (StoredObject.SloSegment s : manifest.sloSegments()) {
				if (this.store.delete(region, account, s.container(), s.object()).isPresent()) {
					deleted++;
				}
				else {
					notFound++;
				}
			}
		}
		this.store.delete(region, account, container, name);
		deleted++;
		ObjectNode body = Exchange.JSON.createObjectNode();
		body.put("Number Deleted", deleted);
		body.put("Number Not Found", notFound);
		body.put("Response Body", "");
		body.put("Response Status", "200 OK");
		body.putArray("Errors");
		return body;
	}

}

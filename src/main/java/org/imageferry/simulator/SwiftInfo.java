package org.imageferry.simulator;

import java.io.IOException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Swift's capabilities document, {@code GET /info} at the root of the proxy (for the
 * storage URL {@code .../files/DFW/v1/MossoCloudFS_x}, {@code .../files/DFW/info}), which
 * clients read to learn the limits and the optional middleware before they use it. It
 * states what this simulator enforces and serves, nothing more: {@code bulk_delete} only
 * while {@link Rules#bulkDelete()} is on, {@code ratelimit} only while
 * {@link Rules#containerWritesPerSecond()} is set, and no {@code tempurl},
 * {@code formpost} or {@code bulk_upload}, which it does not serve. Like Swift, it needs
 * no token.
 */
final class SwiftInfo {

	private final SimulatorConfig config;

	private final Supplier<Rules> rules;

	SwiftInfo(SimulatorConfig config, Supplier<Rules> rules) {
		this.config = config;
		this.rules = rules;
	}

	void handle(Exchange ex) throws IOException {
		if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
			throw new ApiError(405, "Method Not Allowed");
		}
		ex.sendJson(200, document());
	}

	ObjectNode document() {
		ObjectNode info = Exchange.JSON.createObjectNode();
		ObjectNode swift = info.putObject("swift");
		// the Swift release Debian packages (what the conformance tests compare against)
		swift.put("version", "2.30.1")
			.put("max_file_size", this.config.maxObjectSize())
			.put("max_object_name_length", ObjectStore.MAX_OBJECT_NAME_LENGTH)
			.put("max_container_name_length", ObjectStore.MAX_CONTAINER_NAME_LENGTH)
			.put("container_listing_limit", Listing.MAX_LIMIT)
			.put("account_listing_limit", Listing.MAX_LIMIT)
			.put("max_meta_name_length", ObjectMetadata.MAX_NAME_LENGTH)
			.put("max_meta_value_length", ObjectMetadata.MAX_VALUE_LENGTH)
			.put("max_meta_count", ObjectMetadata.MAX_COUNT)
			.put("max_meta_overall_size", ObjectMetadata.MAX_OVERALL_SIZE)
			.put("allow_account_management", false)
			.put("account_autocreate", false);
		swift.putArray("valid_api_versions").add("v1");
		info.putObject("slo")
			.put("max_manifest_segments", LargeObjects.MAX_SEGMENTS)
			.put("max_manifest_size", LargeObjects.MAX_MANIFEST_SIZE)
			.put("min_segment_size", LargeObjects.MIN_SEGMENT);
		Rules rules = this.rules.get();
		if (rules.bulkDelete()) {
			info.putObject("bulk_delete").put("max_deletes_per_request", BulkDelete.MAX_PATHS);
		}
		if (rules.containerWritesPerSecond() > 0) {
			// Swift's form: [container size from which it applies, writes per second]
			info.putObject("ratelimit")
				.putArray("container_ratelimits")
				.addArray()
				.add(0)
				.add(rules.containerWritesPerSecond());
		}
		return info;
	}

}

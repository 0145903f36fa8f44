package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Reads an image seed from JSON (the admin endpoint's {@code POST /_admin/images}): <pre>
 * {"region": "DFW", "tenant": "100001", "name": "web-01", "kind": "dynamic", "virtual_size": 1073741824,
 *  "seed": 7, "defect": "NONE", "min_disk": 20, "min_ram": 512, "tags": ["web"],
 *  "properties": {"os_distro": "ubuntu"}}
 * </pre>
 */
final class Seeds {

	private Seeds() {
	}

	static ImageSeed image(JsonNode json) {
		String region = text(json, "region");
		String tenant = text(json, "tenant");
		String name = text(json, "name");
		long size = json.path("virtual_size").asLong(64L * 1024 * 1024);
		long seed = json.path("seed").asLong(name.hashCode());
		String kind = json.path("kind").asText("dynamic");
		SyntheticVhd vhd = switch (kind) {
			case "fixed" -> SyntheticVhd.fixed(size, seed);
			case "dynamic" -> SyntheticVhd.dynamic(size, seed);
			default -> throw new ApiError(400, "'kind' must be fixed or dynamic, not '" + kind + "'");
		};
		String defect = json.path("defect").asText("NONE").toUpperCase(Locale.ROOT);
		try {
			vhd = vhd.withDefect(SyntheticVhd.Defect.valueOf(defect));
		}
		catch (IllegalArgumentException ex) {
			throw new ApiError(400, "Unknown defect '" + defect + "'; one of "
					+ java.util.Arrays.toString(SyntheticVhd.Defect.values()));
		}
		List<String> tags = new ArrayList<>();
		json.path("tags").forEach((t) -> tags.add(t.asText()));
		Map<String, String> properties = new LinkedHashMap<>();
		json.path("properties").fields().forEachRemaining((e) -> properties.put(e.getKey(), e.getValue().asText()));
		return ImageSeed.of(region, tenant, name, vhd)
			.withMetadata(json.path("min_disk").asInt(ImageSeed.DEFAULT_MIN_DISK),
					json.path("min_ram").asInt(ImageSeed.DEFAULT_MIN_RAM), tags, properties)
			.withVisibility(json.path("visibility").asText("private"));
	}

	private static String text(JsonNode json, String field) {
		String value = json.path(field).asText(null);
		if (value == null || value.isEmpty()) {
			throw new ApiError(400, "'" + field + "' is required");
		}
		return value;
	}

}

package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applies a Glance v2.1 JSON patch ({@code add}, {@code remove}, {@code replace} on
 * one-token pointers) atomically, as Glance does: every operation is checked on a copy
 * before any is applied, so one protected attribute ({@link PropertyProtections}) or a
 * quota exceeded ({@link ImageQuotas}) refuses the whole patch.
 */
final class ImagePatch {

	private ImagePatch() {
	}

	/**
	 * @param strict whether {@link Rules#protectedProperties()} is on
	 */
	static void apply(SimImage image, JsonNode patch, boolean strict) {
		if (!patch.isArray()) {
			throw new ApiError(400, "A JSON patch must be a list of operations");
		}
		synchronized (image) {
			Staged staged = new Staged(image, strict);
			for (JsonNode op : patch) {
				staged.apply(op);
			}
			ImageQuotas.checkProperties(image.properties.size(), staged.properties.size());
			ImageQuotas.checkTags(image.tags.size(), staged.tags.size());
			staged.commit(image);
		}
	}

	/** The mutable fields of an image, copied so a failing patch changes nothing. */
	private static final class Staged {

		private String name;

		private String visibility;

		private int minDisk;

		private int minRam;

		private boolean isProtected;

		private List<String> tags;

		private final Map<String, String> properties;

		private final boolean strict;

		Staged(SimImage image, boolean strict) {
			this.strict = strict;
			this.name = image.name;
			this.visibility = image.visibility;
			this.minDisk = image.minDisk;
			this.minRam = image.minRam;
			this.isProtected = image.isProtected;
			this.tags = new ArrayList<>(image.tags);
			this.properties = new LinkedHashMap<>(image.properties);
		}

		void apply(JsonNode op) {
			String kind = op.path("op").asText();
			String path = op.path("path").asText();
			if (!Set.of("add", "remove", "replace").contains(kind)) {
				throw new ApiError(400, "Unsupported JSON patch operation '" + kind + "'");
			}
			if (!path.matches("/[^/]+")) {
				throw new ApiError(400, "Invalid JSON pointer for this resource: '" + path + "'");
			}
			String attribute = path.substring(1).replace("~1", "/").replace("~0", "~");
			PropertyProtections.check(attribute, this.strict);
			JsonNode value = op.get("value");
			if (!kind.equals("remove") && value == null) {
				throw new ApiError(400, "Operation '" + kind + "' on '" + path + "' needs a value");
			}
			switch (attribute) {
				case "name" -> this.name = kind.equals("remove") ? null : text(attribute, value);
				case "visibility" -> this.visibility = text(attribute, value);
				case "min_disk" -> this.minDisk = kind.equals("remove") ? 0 : count(attribute, value);
				case "min_ram" -> this.minRam = kind.equals("remove") ? 0 : count(attribute, value);
				case "protected" -> this.isProtected = value != null && value.asBoolean();
				case "tags" -> this.tags = kind.equals("remove") ? new ArrayList<>() : tags(value);
				case "container_format", "disk_format" ->
					throw new ApiError(403, "Attribute '" + attribute + "' can be set only while the image is queued.");
				default -> property(kind, attribute, value);
			}
		}

		private void property(String kind, String attribute, JsonNode value) {
			boolean exists = this.properties.containsKey(attribute);
			if (!exists && (kind.equals("remove") || kind.equals("replace"))) {
				throw new ApiError(409, "Property " + attribute + " does not exist.");
			}
			if (kind.equals("remove")) {
				this.properties.remove(attribute);
			}
			else {
				String text = text(attribute, value);
				if (text.length() > 255) {
					// Glance's schema: extra properties are strings of 255 at most
					throw new ApiError(400, "Provided object does not match schema 'image': '" + text.substring(0, 20)
							+ "...' is too long (property '" + attribute + "', at most 255)");
				}
				this.properties.put(attribute, text);
			}
		}

		private static String text(String attribute, JsonNode value) {
			if (value == null || !value.isTextual()) {
				throw new ApiError(400, "Invalid value for '" + attribute + "': a string is expected");
			}
			return value.asText();
		}

		private static int count(String attribute, JsonNode value) {
			if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
				throw new ApiError(400, "Invalid value for '" + attribute + "': a non-negative integer is expected");
			}
			return value.asInt();
		}

		private static List<String> tags(JsonNode value) {
			if (!value.isArray()) {
				throw new ApiError(400, "Invalid value for 'tags': a list of strings is expected");
			}
			List<String> tags = new ArrayList<>();
			value.forEach((t) -> {
				if (!t.isTextual()) {
					throw new ApiError(400, "Invalid value for 'tags': a list of strings is expected");
				}
				ImageTags.check(t.asText());
				if (!tags.contains(t.asText())) {
					tags.add(t.asText());
				}
			});
			return tags;
		}

		void commit(SimImage image) {
			image.name = this.name;
			image.visibility = this.visibility;
			image.minDisk = this.minDisk;
			image.minRam = this.minRam;
			image.isProtected = this.isProtected;
			image.tags = this.tags;
			image.properties.clear();
			image.properties.putAll(this.properties);
			image.updatedAt = image.clock.instant();
		}

	}

}

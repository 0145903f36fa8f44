package org.imageferry.cloud;

import java.time.Instant;
import java.util.Map;

/**
 * A Cloud Images task. Entries of a task listing are sparse: their {@code input},
 * {@code result} and {@code message} are empty.
 */
public record TaskInfo(String id, String type, String status, String message, Map<String, Object> input,
		Map<String, String> result, Instant createdAt, Instant updatedAt) {

	public boolean finished() {
		return "success".equals(this.status) || "failure".equals(this.status);
	}

	public boolean succeeded() {
		return "success".equals(this.status);
	}

}

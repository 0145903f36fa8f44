package org.imageferry.simulator;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A task of Cloud Images v2: {@code pending → processing → success | failure}.
 * {@code expires_at} is set when it ends; after that the task can no longer be read
 * through the API (the simulator keeps it for inspection).
 */
final class SimTask {

	final String id;

	final String type;

	final String region;

	final String owner;

	final JsonNode input;

	final Instant createdAt;

	private String status = "pending";

	private String message = "None";

	private ObjectNode result;

	private Instant updatedAt;

	private Instant expiresAt;

	/** Told once, when the task stops being in flight. */
	private final Runnable onEnd;

	private final Clock clock;

	SimTask(String id, String type, String region, String owner, JsonNode input, Clock clock, Runnable onEnd) {
		this.clock = clock;
		this.id = id;
		this.type = type;
		this.region = region;
		this.owner = owner;
		this.input = input;
		this.onEnd = onEnd;
		this.createdAt = this.clock.instant();
		this.updatedAt = this.createdAt;
	}

	synchronized String status() {
		return this.status;
	}

	synchronized boolean inFlight() {
		return this.status.equals("pending") || this.status.equals("processing");
	}

	synchronized boolean expired(Instant now) {
		return this.expiresAt != null && now.isAfter(this.expiresAt);
	}

	synchronized void processing() {
		if (this.status.equals("pending")) {
			this.status = "processing";
			this.updatedAt = this.clock.instant();
		}
	}

	synchronized void succeed(ObjectNode result, Instant expiresAt) {
		boolean wasInFlight = inFlight();
		this.status = "success";
		this.result = result;
		end(expiresAt, wasInFlight);
	}

	synchronized void fail(String message, Instant expiresAt) {
		boolean wasInFlight = inFlight();
		this.status = "failure";
		this.message = message;
		end(expiresAt, wasInFlight);
	}

	private void end(Instant expiresAt, boolean wasInFlight) {
		this.updatedAt = this.clock.instant();
		this.expiresAt = expiresAt;
		if (wasInFlight) {
			this.onEnd.run();
		}
	}

	synchronized Instant updatedAt() {
		return this.updatedAt;
	}

	/**
	 * The full task, as {@code GET /v2/tasks/{id}} and {@code POST /v2/tasks} show it.
	 */
	synchronized ObjectNode toJson() {
		ObjectNode json = sparse();
		json.set("input", this.input.deepCopy());
		json.put("message", this.message);
		if (this.result != null) {
			json.set("result", this.result.deepCopy());
		}
		return sorted(json);
	}

	/**
	 * The sparse entry if the task has that status (any when null), read in one go so the
	 * entry shows the status it was chosen for; otherwise null.
	 */
	synchronized ObjectNode sparseIf(String status) {
		return (status == null || status.equals(this.status)) ? sparse() : null;
	}

	/** The entry {@code GET /v2/tasks} lists: no input, result or message. */
	synchronized ObjectNode sparse() {
		ObjectNode json = Exchange.JSON.createObjectNode();
		json.put("created_at", SimImage.timestamp(this.createdAt));
		if (this.expiresAt != null) {
			json.put("expires_at", SimImage.timestamp(this.expiresAt));
		}
		json.put("id", this.id);
		json.put("owner", this.owner);
		json.put("schema", "/v2/schemas/task");
		json.put("self", "/v2/tasks/" + this.id);
		json.put("status", this.status);
		json.put("type", this.type);
		json.put("updated_at", SimImage.timestamp(this.updatedAt));
		return json;
	}

	/** Keys in the alphabetical order the API pages show. */
	private static ObjectNode sorted(ObjectNode json) {
		ObjectNode out = Exchange.JSON.createObjectNode();
		java.util.List<String> keys = new java.util.ArrayList<>();
		json.fieldNames().forEachRemaining(keys::add);
		keys.stream().sorted().forEach((k) -> out.set(k, json.get(k)));
		return out;
	}

}

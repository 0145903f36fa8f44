package org.imageferry.simulator;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulator's own endpoint, {@code /_admin}: read back tasks, images, objects and
 * requests; seed images and containers; read and change the {@link Knobs knobs}
 * ({@code GET} and {@code PATCH /_admin/knobs} with a JSON object of knob values). Served
 * on loopback only and never part of what the product talks to.
 */
final class Admin {

	private final SimulatedCloud cloud;

	Admin(SimulatedCloud cloud) {
		this.cloud = cloud;
	}

	void handle(Exchange ex) throws IOException {
		List<String> path = ex.segments();
		String what = (path.size() > 1) ? path.get(1) : "";
		Inspection inspection = this.cloud.inspect();
		switch (ex.method() + " " + what) {
			case "GET tasks" -> ex.sendJson(200, Exchange.JSON.valueToTree(inspection.tasks()));
			case "GET images" -> ex.sendJson(200, Exchange.JSON.valueToTree(inspection.images()));
			case "GET requests" -> ex.sendJson(200, Exchange.JSON.valueToTree(inspection.requests()));
			case "GET objects" -> {
				String region = required(ex.query("region"), "region");
				String tenant = required(ex.query("tenant"), "tenant");
				ex.sendJson(200, Exchange.JSON.valueToTree(inspection.objects(region, tenant)));
			}
			case "POST images" -> {
				JsonNode seed = ex.readJson();
				String id = this.cloud.addImage(Seeds.image(seed));
				ex.sendJson(201, Exchange.JSON.createObjectNode().put("id", id));
			}
			case "POST containers" -> {
				JsonNode body = ex.readJson();
				this.cloud.createContainer(required(body.path("region").asText(null), "region"),
						required(body.path("tenant").asText(null), "tenant"),
						required(body.path("name").asText(null), "name"));
				ex.sendEmpty(201);
			}
			case "GET knobs" -> ex.sendJson(200, knobs());
			case "PATCH knobs", "POST knobs" -> {
				Knobs.change(this.cloud, ex.readJson());
				ex.sendJson(200, knobs());
			}
			case "GET " -> ex.sendJson(200, index());
			default -> throw new ApiError(404, "Not Found");
		}
	}

	private ObjectNode knobs() {
		return Knobs.describe(this.cloud.config(), this.cloud.rules(), this.cloud.faults());
	}

	private ObjectNode index() {
		ObjectNode index = Exchange.JSON.createObjectNode();
		index.put("identity", this.cloud.identityUrl());
		ArrayNode regions = index.putArray("regions");
		this.cloud.config().regions().forEach(regions::add);
		ArrayNode accounts = index.putArray("accounts");
		this.cloud.config()
			.accounts()
			.forEach((a) -> accounts.addObject().put("username", a.username()).put("tenant", a.tenantId()));
		ArrayNode endpoints = index.putArray("endpoints");
		for (String region : this.cloud.config().regions()) {
			endpoints.addObject()
				.put("region", region)
				.put("cloudImages", this.cloud.imagesUrl(region))
				.put("cloudFiles", this.cloud.baseUrl() + "/files/" + region + "/v1/MossoCloudFS_<tenant>");
		}
		return index;
	}

	private static String required(String value, String name) {
		if (value == null || value.isEmpty()) {
			throw new ApiError(400, "'" + name + "' is required");
		}
		return value;
	}

}

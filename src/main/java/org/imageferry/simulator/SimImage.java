package org.imageferry.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.imageferry.simulator.content.Content;

/**
 * An image in one region's Cloud Images, with the fields Glance v2 shows and Rackspace's
 * own properties. Mutable only through {@link Images}' JSON patch, under the image's
 * lock.
 */
final class SimImage {

	/**
	 * The Rackspace property that says whether an image may be exported: only "0" allows
	 * it.
	 */
	static final String OPTIONS = "com.rackspace__1__options";

	final String id;

	final String region;

	final String owner;

	final Instant createdAt;

	final Content content;

	final String checksum;

	String name;

	String status = "active";

	String visibility = "private";

	String containerFormat = "ovf";

	String diskFormat = "vhd";

	int minDisk;

	int minRam;

	boolean isProtected;

	Instant updatedAt;

	List<String> tags = new ArrayList<>();

	/**
	 * Extra properties (all strings, as Glance keeps them), including the
	 * {@code com.rackspace} ones.
	 */
	final Map<String, String> properties = new LinkedHashMap<>();

	/** The cloud's clock, for the times the image shows. */
	final Clock clock;

	SimImage(String id, String region, String owner, String name, Content content, String checksum, Clock clock) {
		this.clock = clock;
		this.id = id;
		this.region = region;
		this.owner = owner;
		this.name = name;
		this.content = content;
		this.checksum = checksum;
		this.createdAt = clock.instant();
		this.updatedAt = this.createdAt;
	}

	boolean visibleTo(String tenant) {
		return this.owner.equals(tenant) || "public".equals(this.visibility);
	}

	synchronized ObjectNode toJson() {
		ObjectNode json = Exchange.JSON.createObjectNode();
		json.put("id", this.id);
		json.put("name", this.name);
		json.put("status", this.status);
		json.put("visibility", this.visibility);
		json.put("protected", this.isProtected);
		json.put("owner", this.owner);
		json.put("size", this.content.length());
		json.putNull("virtual_size");
		json.put("checksum", this.checksum);
		json.put("container_format", this.containerFormat);
		json.put("disk_format", this.diskFormat);
		json.put("min_disk", this.minDisk);
		json.put("min_ram", this.minRam);
		json.putPOJO("tags", List.copyOf(this.tags));
		json.put("created_at", timestamp(this.createdAt));
		json.put("updated_at", timestamp(this.updatedAt));
		this.properties.forEach(json::put);
		json.put("self", "/v2/images/" + this.id);
		json.put("file", "/v2/images/" + this.id + "/file");
		json.put("schema", "/v2/schemas/image");
		return json;
	}

	static String timestamp(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;

import org.imageferry.simulator.content.Content;

/**
 * The Swift API of Cloud Files, as far as image-ferry and the standard clients use it:
 * account and container listings, container create/HEAD/POST/delete, object
 * PUT/GET/HEAD/DELETE with single ranges, Dynamic and Static Large Objects, {@code ETag}
 * checks on PUT and the 5 GiB single-PUT cap.
 */
final class CloudFiles {

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

	private static final int BULK_DELETE_MAX = 10_000;

	private final SimulatorConfig config;

	private final Identity identity;

	private final ObjectStore store;

	private final LargeObjects largeObjects;

	private final Path dataDir;

	private final FaultDice dice;

	private final Supplier<Rules> rules;

	CloudFiles(SimulatorConfig config, Identity identity, ObjectStore store, Path dataDir, FaultDice dice,
			Supplier<Rules> rules) {
		this.config = config;
		this.rules = rules;
		this.identity = identity;
		this.store = store;
		this.largeObjects = new LargeObjects(store);
		this.dataDir = dataDir;
		this.dice = dice;
	}

	void handle(Exchange ex, String region) throws IOException {
		List<String> path = ex.segments();
		if (path.size() < 4 || !path.get(2).equals("v1")) {
			throw new ApiError(404, "Not Found");
		}
		Identity.Token token = this.identity.require(ex);
		String account = path.get(3);
		if (!token.account().storageAccount().equals(account)) {
			throw new ApiError(403, "Forbidden");
		}
		String container = (path.size() > 4 && !path.get(4).isEmpty()) ? path.get(4) : null;
		String object = (path.size() > 5) ? String.join("/", path.subList(5, path.size())) : null;
		if (object != null && object.isEmpty()) {
			object = null;
		}
		if (container == null) {
			account(ex, region, account);
		}
		else if (object == null) {
			ObjectStore.checkNames(container, null);
			container(ex, region, account, container);
		}
		else {
			ObjectStore.checkNames(container, object);
			object(ex, region, account, container, object);
		}
	}

	private void account(Exchange ex, String region, String account) throws IOException {
		if (ex.query().containsKey("bulk-delete") && (ex.method().equals("DELETE") || ex.method().equals("POST"))) {
			bulkDelete(ex, region, account);
			return;
		}
		switch (ex.method()) {
			case "GET", "HEAD" -> {
				Map<String, ObjectStore.Usage> usage = this.store.containerUsage(region, account);
				List<String> names = List.copyOf(usage.keySet());
				long objects = 0;
				long bytes = 0;
				ArrayNode listing = Exchange.JSON.createArrayNode();
				List<String> shown = page(names, ex);
				for (String name : shown) {
					ObjectStore.Usage in = usage.get(name);
					listing.addObject().put("name", name).put("count", in.objects()).put("bytes", in.bytes());
				}
				for (ObjectStore.Usage in : usage.values()) {
					objects += in.objects();
					bytes += in.bytes();
				}
				ex.setHeader("X-Account-Container-Count", Integer.toString(names.size()));
				ex.setHeader("X-Account-Object-Count", Long.toString(objects));
				ex.setHeader("X-Account-Bytes-Used", Long.toString(bytes));
				sendListing(ex, listing, shown);
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
	}

	/**
	 * Swift's bulk delete: a text/plain list of URL-encoded {@code /container/object}
	 * paths (or {@code /container}), at most {@value #BULK_DELETE_MAX}, each deleted on
	 * its own — a Large Object's manifest alone, as for any object. Answers 200 whatever
	 * happened: the body counts what was deleted and not found, and lists the errors.
	 */
	private void bulkDelete(Exchange ex, String region, String account) throws IOException {
		String body;
		try (InputStream in = ex.body()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<String> paths = body.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
		if (paths.size() > BULK_DELETE_MAX) {
			throw new ApiError(413, "Maximum Bulk Deletes: " + BULK_DELETE_MAX + " per request");
		}
		int deleted = 0;
		int notFound = 0;
		ArrayNode errors = Exchange.JSON.createArrayNode();
		for (String path : paths) {
			String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
			String[] parts = (decoded.startsWith("/") ? decoded.substring(1) : decoded).split("/", 2);
			boolean found;
			if (parts.length == 1 || parts[1].isEmpty()) {
				try {
					found = this.store.deleteContainer(region, account, parts[0]);
				}
				catch (ApiError conflict) {
					errors.addArray().add(path).add("409 Conflict");
					continue;
				}
			}
			else {
				found = this.store.delete(region, account, parts[0], parts[1]).isPresent();
			}
			if (found) {
				deleted++;
			}
			else {
				notFound++;
			}
		}
		String status = errors.isEmpty() ? "200 OK" : "400 Bad Request";
		if (String.valueOf(ex.header("Accept")).contains("application/json")) {
			var json = Exchange.JSON.createObjectNode();
			json.put("Number Deleted", deleted)
				.put("Number Not Found", notFound)
				.put("Response Body", "")
				.put("Response Status", status)
				.set("Errors", errors);
			ex.sendJson(200, json);
			return;
		}
		StringBuilder text = new StringBuilder().append("Number Deleted: ").append(deleted).append('\n');
		text.append("Number Not Found: ").append(notFound).append('\n');
		text.append("Response Body: \nResponse Status: ").append(status).append('\n').append("Errors:\n");
		errors.forEach((e) -> text.append(e.get(0).asText()).append(", ").append(e.get(1).asText()).append('\n'));
		ex.sendText(200, text.toString());
	}

	private static List<String> page(List<String> names, Exchange ex) {
		String prefix = ex.query("prefix");
		String marker = ex.query("marker");
		String endMarker = ex.query("end_marker");
		int limit = limit(ex);
		return names.stream()
			.filter((n) -> prefix == null || n.startsWith(prefix))
			.filter((n) -> marker == null || n.compareTo(marker) > 0)
			.filter((n) -> endMarker == null || n.compareTo(endMarker) < 0)
			.limit(limit)
			.toList();
	}

	private static int limit(Exchange ex) {
		String limit = ex.query("limit");
		try {
			int n = (limit != null) ? Integer.parseInt(limit) : 10000;
			if (n < 0 || n > 10000) {
				throw new ApiError(412, "Maximum limit is 10000");
			}
			return n;
		}
		catch (NumberFormatException e) {
			throw new ApiError(412, "Value of limit must be a positive integer");
		}
	}

	private void sendListing(Exchange ex, ArrayNode json, List<String> names) throws IOException {
		if (ex.method().equals("HEAD")) {
			// Swift answers a HEAD of an account or container 204: metadata only
			ex.sendEmpty(204);
			return;
		}
		if (names.isEmpty() && !"json".equals(ex.query("format"))) {
			ex.sendEmpty(204);
			return;
		}
		if ("json".equals(ex.query("format")) || String.valueOf(ex.header("Accept")).contains("application/json")) {
			ex.sendJson(200, json);
			return;
		}
		ex.sendText(200, names.isEmpty() ? "" : String.join("\n", names) + "\n");
	}

	private void container(Exchange ex, String region, String account, String container) throws IOException {
		switch (ex.method()) {
			case "PUT" -> ex.sendEmpty(this.store.createContainer(region, account, container) ? 201 : 202);
			case "POST" -> {
				// Swift updates container metadata (not kept here) or answers 404; the
				// swift
				// client's "post" then PUTs a missing container
				if (!this.store.hasContainer(region, account, container)) {
					throw new ApiError(404, "Not Found");
				}
				ex.sendEmpty(204);
			}
			case "DELETE" -> {
				if (!this.store.deleteContainer(region, account, container)) {
					throw new ApiError(404, "Not Found");
				}
				ex.sendEmpty(204);
			}
			case "GET", "HEAD" -> {
				ObjectStore.Usage usage = this.store.usage(region, account, container);
				ex.setHeader("X-Container-Object-Count", Long.toString(usage.objects()));
				ex.setHeader("X-Container-Bytes-Used", Long.toString(usage.bytes()));
				List<StoredObject> listed = this.store.list(region, account, container, ex.query("prefix"),
						ex.query("marker"), ex.query("end_marker"), limit(ex));
				ArrayNode json = Exchange.JSON.createArrayNode();
				for (StoredObject o : listed) {
					json.addObject()
						.put("name", o.name())
						.put("hash", o.etag())
						.put("bytes", o.content().length())
						.put("content_type", o.contentType())
						.put("last_modified",
								o.lastModified().truncatedTo(ChronoUnit.MICROS).toString().replace("Z", ""));
				}
				sendListing(ex, json, listed.stream().map(StoredObject::name).toList());
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
	}

	private void object(Exchange ex, String region, String account, String container, String name) throws IOException {
		switch (ex.method()) {
			case "PUT" -> put(ex, region, account, container, name);
			case "GET", "HEAD" -> get(ex, region, account, container, name);
			case "DELETE" -> {
				if ("delete".equals(ex.query("multipart-manifest"))) {
					ex.sendJson(200, this.largeObjects.deleteSlo(region, account, container, name));
					return;
				}
				this.store.delete(region, account, container, name).orElseThrow(() -> new ApiError(404, "Not Found"));
				ex.sendEmpty(204);
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
	}

	private void put(Exchange ex, String region, String account, String container, String name) throws IOException {
		if (!this.store.hasContainer(region, account, container)) {
			throw new ApiError(404, "Not Found");
		}
		if ("put".equals(ex.query("multipart-manifest"))) {
			StoredObject slo = this.largeObjects.sloManifest(ex.readJson(), region, account, name, contentType(ex),
					metadata(ex));
			this.store.put(region, account, container, slo);
			ex.setHeader("Etag", '"' + this.store.resolve(region, account, slo).etag().replace("\"", "") + '"');
			ex.sendEmpty(201);
			return;
		}
		if (this.dice.drop()) {
			// a flaky network: part of the body arrives, then the connection is gone
			ex.body().readNBytes(64 * 1024);
			ex.drop();
			return;
		}
		Upload.Received received;
		this.store.receiving(region, account, container, name);
		try {
			received = Upload.receive(ex.body(), ex.contentLength(), this.config.maxObjectSize(),
					this.config.keepBytesUpTo(), this.dataDir);
		}
		finally {
			this.store.received(region, account, container, name);
		}
		String expected = ex.header("ETag");
		if (expected != null && !expected.replace("\"", "").equalsIgnoreCase(received.md5())) {
			throw new ApiError(422, "Unprocessable Entity: the MD5 of the body does not match the ETag header");
		}
		String manifest = ex.header("X-Object-Manifest");
		Instant now = this.config.clock().instant();
		StoredObject stored = new StoredObject(name, received.content(), received.md5(), contentType(ex), now,
				metadata(ex), (manifest != null && !manifest.isBlank()) ? manifest : null, null,
				this.store.visibleAt(now));
		this.store.put(region, account, container, stored);
		ex.setHeader("Etag", received.md5());
		ex.setHeader("Last-Modified", HTTP_DATE.format(now));
		ex.sendEmpty(201);
	}

	private void get(Exchange ex, String region, String account, String container, String name) throws IOException {
		StoredObject stored = this.store.get(region, account, container, name)
			.orElseThrow(() -> new ApiError(404, "Not Found"));
		boolean manifestItself = "get".equals(ex.query("multipart-manifest"));
		if (manifestItself && stored.sloSegments() != null) {
			ex.sendJson(200, this.largeObjects.manifestJson(stored));
			return;
		}
		// as Swift's DLO middleware does, ?multipart-manifest=get serves a DLO
		// manifest's own (empty) body, not its segments
		ObjectStore.Resolved resolved = (manifestItself && stored.dloManifest() != null)
				? new ObjectStore.Resolved(stored, stored.content(), stored.etag())
				: this.store.resolve(region, account, stored);
		Content content = resolved.content();
		ex.setHeader("ETag", resolved.etag());
		ex.setHeader("Content-Type", stored.contentType());
		ex.setHeader("Last-Modified", HTTP_DATE.format(stored.lastModified()));
		ex.setHeader("X-Timestamp", String.format(Locale.ROOT, "%.5f", stored.lastModified().toEpochMilli() / 1000.0));
		ex.setHeader("Accept-Ranges", "bytes");
		stored.metadata().forEach(ex::setHeader);
		if (stored.dloManifest() != null) {
			ex.setHeader("X-Object-Manifest", stored.dloManifest());
		}
		if (stored.sloSegments() != null) {
			ex.setHeader("X-Static-Large-Object", "True");
		}
		long length = content.length();
		long[] range = Ranges.parse(ex.header("Range"), length);
		int status = 200;
		long from = 0;
		long count = length;
		if (range != null) {
			status = 206;
			from = range[0];
			count = range[1] - range[0] + 1;
			ex.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
		}
		long dropAfter = (!ex.method().equals("HEAD") && this.dice.drop()) ? count / 2 : -1;
		InputStream body = ex.method().equals("HEAD") ? InputStream.nullInputStream() : content.open(from, count);
		ex.sendStream(status, count, body, dropAfter);
	}

	private static String contentType(Exchange ex) {
		String type = ex.header("Content-Type");
		return (type != null) ? type : "application/octet-stream";
	}

	private static Map<String, String> metadata(Exchange ex) {
		Map<String, String> metadata = new LinkedHashMap<>();
		ex.headers().forEach((key, values) -> {
			if (key.toLowerCase(Locale.ROOT).startsWith("x-object-meta-") && !values.isEmpty()) {
				metadata.put(key, values.get(0));
			}
		});
		return metadata;
	}

}

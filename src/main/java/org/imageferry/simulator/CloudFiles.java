package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Supplier;

import org.imageferry.simulator.content.Content;

/**
 * The Swift API of Cloud Files, as far as image-ferry and the standard clients (swift,
 * rclone) use it: {@code /info}; account and container listings ({@link Listing});
 * container create/HEAD/POST/delete; object PUT/GET/HEAD/POST/DELETE/COPY with single
 * ranges, server-side copies ({@link ObjectCopy}), Dynamic and Static Large Objects,
 * {@code ETag} checks on PUT and the 5 GiB single-PUT cap; bulk delete
 * ({@link BulkDelete}) when {@link Rules#bulkDelete()} offers it; the per-container write
 * limit ({@link WriteLimit}). Errors are answered in Swift's style ({@link SwiftErrors}),
 * times in Swift's formats ({@link SwiftTime}).
 */
final class CloudFiles {

	private final SimulatorConfig config;

	private final Identity identity;

	private final ObjectStore store;

	private final LargeObjects largeObjects;

	private final Path dataDir;

	private final FaultDice dice;

	private final Supplier<Rules> rules;

	private final SwiftInfo info;

	private final WriteLimit writeLimit;

	private final BulkDelete bulkDelete;

	private final ObjectCopy copy;

	CloudFiles(SimulatorConfig config, Identity identity, ObjectStore store, Path dataDir, FaultDice dice,
			Supplier<Rules> rules) {
		this.config = config;
		this.rules = rules;
		this.identity = identity;
		this.store = store;
		this.largeObjects = new LargeObjects(store);
		this.dataDir = dataDir;
		this.dice = dice;
		this.info = new SwiftInfo(config, rules);
		this.writeLimit = new WriteLimit(config.clock(), rules);
		this.bulkDelete = new BulkDelete(store, this.writeLimit);
		this.copy = new ObjectCopy(config, store);
	}

	/**
	 * Serves {@code /files/<REGION>/...} and {@code /snet/<REGION>/...}: {@code info}, or
	 * {@code v1/<account>/...}.
	 */
	void handle(Exchange ex, String region) throws IOException {
		try {
			route(ex, region);
		}
		catch (ApiError error) {
			SwiftErrors.answer(ex, error);
		}
	}

	private void route(Exchange ex, String region) throws IOException {
		List<String> path = ex.segments();
		if (path.size() == 3 && path.get(2).equals("info")) {
			this.info.handle(ex);
			return;
		}
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
		boolean bulk = ex.query().containsKey("bulk-delete")
				&& (ex.method().equals("DELETE") || ex.method().equals("POST"));
		if (bulk && this.rules.get().bulkDelete()) {
			this.bulkDelete.handle(ex, region, account);
			return;
		}
		// without the bulk middleware the request reaches the account: 405, as Swift
		// answers an account DELETE (Swift would take a POST as a metadata update, not
		// served here)
		switch (ex.method()) {
			case "GET", "HEAD" -> {
				NavigableMap<String, ObjectStore.Usage> usage = this.store.containers(region, account);
				long objects = 0;
				long bytes = 0;
				for (ObjectStore.Usage in : usage.values()) {
					objects += in.objects();
					bytes += in.bytes();
				}
				ex.setHeader("X-Account-Container-Count", Integer.toString(usage.size()));
				ex.setHeader("X-Account-Object-Count", Long.toString(objects));
				ex.setHeader("X-Account-Bytes-Used", Long.toString(bytes));
				List<Listing.Entry<ObjectStore.Usage>> page = Listing.page(usage, Listing.Query.of(ex), (c) -> true);
				Listing.send(ex, page, (json, in) -> json.put("count", in.objects()).put("bytes", in.bytes()));
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
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
				List<Listing.Entry<StoredObject>> page = this.store.list(region, account, container,
						Listing.Query.of(ex));
				Listing.send(ex, page,
						(json, o) -> json.put("hash", o.etag())
							.put("bytes", o.content().length())
							.put("content_type", o.contentType())
							.put("last_modified", SwiftTime.listingDate(o.lastModified())));
			}
			default -> throw new ApiError(405, "Method Not Allowed");
		}
	}

	private void object(Exchange ex, String region, String account, String container, String name) throws IOException {
		switch (ex.method()) {
			case "GET", "HEAD" -> get(ex, region, account, container, name);
			case "PUT" -> {
				this.writeLimit.admit(region, account, container);
				put(ex, region, account, container, name);
			}
			case "POST" -> {
				this.writeLimit.admit(region, account, container);
				post(ex, region, account, container, name);
			}
			case "COPY" -> {
				ObjectCopy.Path to = ObjectCopy.Path.of(ex, "Destination");
				this.writeLimit.admit(region, account, to.container());
				this.copy.copy(ex, region, account, new ObjectCopy.Path(container, name), to);
			}
			case "DELETE" -> {
				this.writeLimit.admit(region, account, container);
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
		if (ex.header("X-Copy-From") != null) {
			this.copy.copy(ex, region, account, ObjectCopy.Path.of(ex, "X-Copy-From"),
					new ObjectCopy.Path(container, name));
			return;
		}
		Map<String, String> metadata = ObjectMetadata.of(ex);
		if (!this.store.hasContainer(region, account, container)) {
			throw new ApiError(404, "Not Found");
		}
		if ("put".equals(ex.query("multipart-manifest"))) {
			StoredObject slo = this.largeObjects.sloManifest(ex.readJson(), region, account, name, contentType(ex),
					metadata);
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
			received = Upload.receive(ex.objectBody(), ex.contentLength(), this.config.maxObjectSize(),
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
		StoredObject stored = new StoredObject(name, received.content(), received.md5(), contentType(ex), now, metadata,
				(manifest != null && !manifest.isBlank()) ? manifest : null, null, this.store.visibleAt(now));
		this.store.put(region, account, container, stored);
		ex.setHeader("Etag", received.md5());
		ex.setHeader("Last-Modified", SwiftTime.httpDate(now));
		ex.sendEmpty(201);
	}

	/**
	 * Swift's object POST: the request's {@code X-Object-Meta-*} replace all the object's
	 * metadata, a {@code Content-Type} replaces its type, and its {@code Last-Modified}
	 * becomes now; its bytes and {@code ETag} stay. {@code X-Object-Manifest} is one of
	 * the headers a POST sets, so a Dynamic Large Object's manifest POSTed without it
	 * becomes a plain (empty) object, as Swift's documentation warns. Answers 202 with
	 * Swift's page.
	 */
	private void post(Exchange ex, String region, String account, String container, String name) throws IOException {
		Map<String, String> metadata = ObjectMetadata.of(ex);
		String type = ex.header("Content-Type");
		String manifest = ex.header("X-Object-Manifest");
		Instant now = this.config.clock().instant();
		this.store
			.update(region, account, container, name,
					(o) -> new StoredObject(o.name(), o.content(), o.etag(), (type != null) ? type : o.contentType(),
							now, metadata, (manifest != null && !manifest.isBlank()) ? manifest : null, o.sloSegments(),
							o.visibleAt()))
			.orElseThrow(() -> new ApiError(404, "Not Found"));
		ex.sendBytes(202, "text/html; charset=UTF-8", SwiftErrors.defaultBody(202));
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
		ex.setHeader("Last-Modified", SwiftTime.httpDate(stored.lastModified()));
		ex.setHeader("X-Timestamp", SwiftTime.timestamp(stored.lastModified()));
		ex.setHeader("Accept-Ranges", "bytes");
		stored.metadata().forEach(ex::setHeader);
		if (stored.dloManifest() != null) {
			ex.setHeader("X-Object-Manifest", stored.dloManifest());
		}
		if (stored.sloSegments() != null) {
			ex.setHeader("X-Static-Large-Object", "True");
		}
		long length = content.length();
		long[] range;
		try {
			range = Ranges.parse(ex.header("Range"), length);
		}
		catch (Ranges.Unsatisfiable ex2) {
			ex.setHeader("Content-Range", "bytes */" + ex2.length);
			throw new ApiError(416, "Requested Range Not Satisfiable");
		}
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

}

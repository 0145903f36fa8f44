package org.imageferry.simulator;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.imageferry.simulator.content.Content;

/**
 * Swift's server-side copy within an account ({@code swift/common/middleware/copy.py}):
 * {@code COPY} with {@code Destination: /container/object}, or {@code PUT} with
 * {@code X-Copy-From: /container/object} and no body. The copy holds the source's bytes
 * as a GET streams them — a Large Object's concatenated segments, which the copy keeps
 * even when the segments are deleted later — unless {@code ?multipart-manifest=get} asks
 * for a copy of the manifest itself. It keeps the source's metadata, with the request's
 * {@code X-Object-Meta-*} over it ({@code X-Fresh-Metadata: true}: the request's alone),
 * and the source's {@code Content-Type} unless the request sends one. Copying between
 * accounts ({@code Destination-Account}, {@code X-Copy-From-Account}) and partial copies
 * ({@code Range}) are not served.
 */
final class ObjectCopy {

	/** A {@code /container/object} named by a copy header. */
	record Path(String container, String object) {

		/**
		 * Reads a header as Swift does: URL-encoded, the leading slash optional.
		 * @throws ApiError 412 when it does not name a container and an object
		 */
		static Path of(Exchange ex, String header) {
			String value = ex.header(header);
			if (value == null) {
				throw new ApiError(412, header + " header required");
			}
			String decoded = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
			String[] parts = (decoded.startsWith("/") ? decoded.substring(1) : decoded).split("/", 2);
			if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
				throw new ApiError(412, header + " header must be of the form <container name>/<object name>");
			}
			ObjectStore.checkNames(parts[0], parts[1]);
			return new Path(parts[0], parts[1]);
		}

	}

	private final SimulatorConfig config;

	private final ObjectStore store;

	ObjectCopy(SimulatorConfig config, ObjectStore store) {
		this.config = config;
		this.store = store;
	}

	/**
	 * Copies {@code from} to {@code to} and answers 201 with the copy's {@code ETag} and
	 * {@code Last-Modified} and Swift's {@code X-Copied-From*} headers.
	 * @throws ApiError 400 for a PUT with a body, 404 when the source or the
	 * destination's container is missing, 413 when the source is larger than one PUT may
	 * be
	 */
	void copy(Exchange ex, String region, String account, Path from, Path to) throws IOException {
		// Swift's COPY becomes such a PUT with its length set to 0: only a PUT is refused
		if (ex.method().equals("PUT") && ex.contentLength() > 0) {
			throw new ApiError(400, "Copy requests require a zero byte body");
		}
		StoredObject source = this.store.get(region, account, from.container(), from.object())
			.orElseThrow(() -> new ApiError(404, "Not Found"));
		if (!this.store.hasContainer(region, account, to.container())) {
			throw new ApiError(404, "Not Found");
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		if (!"true".equalsIgnoreCase(ex.header("X-Fresh-Metadata"))) {
			metadata.putAll(source.metadata());
		}
		metadata.putAll(ObjectMetadata.of(ex));
		String contentType = (ex.header("Content-Type") != null) ? ex.header("Content-Type") : source.contentType();
		Instant now = this.config.clock().instant();
		StoredObject copy = "get".equals(ex.query("multipart-manifest")) && source.isLargeObject()
				? new StoredObject(to.object(), source.content(), source.etag(), contentType, now, metadata,
						source.dloManifest(), source.sloSegments(), this.store.visibleAt(now))
				: bytesOf(region, account, source, to.object(), contentType, now, metadata);
		this.store.put(region, account, to.container(), copy);
		ex.setHeader("Etag", copy.etag());
		ex.setHeader("Last-Modified", SwiftTime.httpDate(now));
		ex.setHeader("X-Copied-From", encode(from.container()) + "/" + encode(from.object()));
		ex.setHeader("X-Copied-From-Account", encode(account));
		ex.setHeader("X-Copied-From-Last-Modified", SwiftTime.httpDate(source.lastModified()));
		metadata.forEach(ex::setHeader);
		ex.sendEmpty(201);
	}

	private StoredObject bytesOf(String region, String account, StoredObject source, String name, String contentType,
			Instant now, Map<String, String> metadata) {
		ObjectStore.Resolved resolved = this.store.resolve(region, account, source);
		Content content = resolved.content();
		if (content.length() > this.config.maxObjectSize()) {
			throw new ApiError(413, "Request Entity Too Large");
		}
		String etag = source.isLargeObject() ? md5(content) : source.etag();
		return new StoredObject(name, content, etag, contentType, now, metadata, null, null, this.store.visibleAt(now));
	}

	/** A Large Object's bytes have no MD5 of their own: Swift's PUT computes it. */
	private static String md5(Content content) {
		try {
			return Upload.md5(content);
		}
		catch (IOException ex) {
			throw new ApiError(500, "Cannot copy: the simulator kept only the digest of a segment larger than "
					+ "keepBytesUpTo, so the copy's MD5 cannot be computed");
		}
	}

	private static String encode(String name) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
	}

}

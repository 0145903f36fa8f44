package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;

import java.net.HttpURLConnection;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.Optional;

import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Cloud Files (Swift) of one account in one region. Object bodies are streamed both ways
 * and never held in memory — which is why OpenStack4j, whose connectors buffer, is not
 * used here. Calls other than the streaming ones are retried by the one retry rule.
 * <p>
 * Two HTTP stacks, each where it fits. Listings, HEADs, manifests, deletes and ranged
 * reads go over the JDK {@link HttpClient}. The data path — a segment's {@link #download}
 * and {@link #put} — is blocking I/O over {@link HttpURLConnection}: the thread that
 * copies reads, digests and writes with no hand-over between threads, which costs about a
 * fifth less CPU per byte than the HttpClient's selector thread and queues (measured on
 * loopback, where CPU is the limit); and its timeouts suit a body of a gigabyte: the
 * connection and each read must make progress within {@code timeout}, whereas the
 * HttpClient's request timeout would bound the whole upload. Both stacks use the same
 * {@link SSLContext} (the profile's {@code ca-bundle}, or the JDK's trust), verify host
 * names and go direct (no proxy).
 */
public final class SwiftClient {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Cloud Files' most names in one listing answer. */
	private static final int LISTING_PAGE = 10_000;

	/**
	 * Deletes per second per container: half of Cloud Files' limit of about 100 writes,
	 * the rest left to the copy's PUTs into the same container.
	 */
	static final int DELETES_PER_SECOND = 50;

	private final StorageAccount account;

	private final String region;

	private final boolean serviceNet;

	private final HttpClient http;

	private final Retries retries;

	private final Duration timeout;

	private final ObjectStream streams;

	private final int listingPage;

	private final WritePacer pacer;

	private final ObjectDeletes deletes;

	/**
	 * @param account the account's token and storage URL: {@link AccountSession} for
	 * Rackspace
	 */
	public SwiftClient(StorageAccount account, String region, boolean serviceNet, HttpClient http, Retries retries,
			Duration timeout) {
		this(account, region, serviceNet, http, retries, timeout, LISTING_PAGE, DELETES_PER_SECOND);
	}

	/**
	 * @param listingPage names asked for in one listing request (tests page through a few
	 * objects with a small one)
	 * @param deletesPerSecond per container
	 */
	SwiftClient(StorageAccount account, String region, boolean serviceNet, HttpClient http, Retries retries,
			Duration timeout, int listingPage, int deletesPerSecond) {
		this.account = account;
		this.region = region;
		this.serviceNet = serviceNet;
		this.http = http;
		this.retries = retries;
		this.timeout = timeout;
		this.streams = new ObjectStream(account, region, http.sslContext(), retries, timeout,
				(container, object) -> uri(container, object, ""));
		this.listingPage = listingPage;
		this.pacer = new WritePacer(deletesPerSecond);
		this.deletes = new ObjectDeletes(this, retries, timeout, this.pacer,
				() -> ClusterInfo.ask(account.storageUrl(region, serviceNet), region, http, retries, timeout));
	}

	public String region() {
		return this.region;
	}

	/** Creates the container when it does not exist; @return whether it was created */
	public boolean ensureContainer(String container) {
		return send("PUT container " + container, () -> request(container, null, "").PUT(noBody()), true)
			.statusCode() == 201;
	}

	public boolean containerExists(String container) {
		return send("HEAD container " + container, () -> request(container, null, "").method("HEAD", noBody()), true)
			.statusCode() != 404;
	}

	public Optional<ObjectInfo> head(String container, String object) {
		HttpResponse<InputStream> response = send("HEAD " + container + "/" + object,
				() -> request(container, object, "").method("HEAD", noBody()), true);
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		return Optional.of(new ObjectInfo(object, response.headers().firstValueAsLong("Content-Length").orElse(0),
				unquote(response.headers().firstValue("ETag").orElse("")),
				response.headers().firstValue("X-Object-Manifest").orElse(null)));
	}

	/**
	 * Every object under {@code prefix}, in name order, reading the listing page by page.
	 */
	public List<ObjectInfo> list(String container, String prefix) {
		List<ObjectInfo> all = new ArrayList<>();
		String marker = "";
		while (true) {
			String query = "?format=json&limit=" + this.listingPage + "&prefix=" + encode(prefix) + "&marker="
					+ encode(marker);
			HttpResponse<InputStream> response = send("GET listing " + container + "?prefix=" + prefix,
					() -> request(container, null, query).GET(), false);
			JsonNode page;
			try (InputStream in = response.body()) {
				page = JSON.readTree(in);
			}
			catch (IOException ex) {
				throw CloudException.retryable(
						"listing " + container + " in " + this.region + " was cut: " + ex.getMessage(), 0, null, ex);
			}
			for (JsonNode entry : page) {
				all.add(new ObjectInfo(entry.path("name").asText(), entry.path("bytes").asLong(),
						entry.path("hash").asText(), null));
			}
			if (page.size() < this.listingPage) {
				return all;
			}
			marker = all.get(all.size() - 1).name();
		}
	}

	/**
	 * Opens a streamed download of the whole object over blocking I/O (see
	 * {@link ObjectStream}). Not retried: the caller retries the whole streamed copy.
	 * @return the body, exactly the object's bytes; the caller closes it
	 */
	public InputStream download(String container, String object) {
		return this.streams.download(container, object);
	}

	private HttpResponse<InputStream> range(String container, String object, long offset, int length) {
		HttpResponse<InputStream> response = sendOnce("GET range of " + container + "/" + object,
				() -> request(container, object, "").GET()
					.header("Range", "bytes=" + offset + "-" + (offset + length - 1)));
		if (response.statusCode() == 404) {
			close(response);
			throw CloudException.permanent("GET " + container + "/" + object + " in " + this.region
					+ " answered 404: the object does not exist", 404);
		}
		return response;
	}

	/** Reads a small range whole, for the VHD checks. */
	public byte[] read(String container, String object, long offset, int length) {
		return this.retries.call(this.region, "GET range of " + container + "/" + object + " in " + this.region, () -> {
			HttpResponse<InputStream> response = range(container, object, offset, length);
			try (InputStream in = response.body()) {
				byte[] bytes = in.readNBytes(length);
				if (bytes.length != length) {
					throw CloudException.retryable("short read of " + container + "/" + object, 0, null, null);
				}
				return bytes;
			}
			catch (IOException ex) {
				throw CloudException.retryable("GET range of " + container + "/" + object + " was cut", 0, null, ex);
			}
		});
	}

	/**
	 * Streams {@code length} bytes of {@code body} into the object, the expected MD5 sent
	 * as {@code ETag} (see {@link ObjectStream#put}).
	 * @return the ETag Cloud Files answered
	 */
	public String put(String container, String object, long length, InputStream body, String md5) {
		return this.streams.put(container, object, length, body, md5);
	}

	/**
	 * Writes a zero-byte Dynamic Large Object manifest naming {@code container/prefix}.
	 */
	public void putManifest(String container, String object, String manifest) {
		send("PUT manifest " + container + "/" + object,
				() -> request(container, object, "").header("X-Object-Manifest", manifest)
					.header("Content-Type", "application/octet-stream")
					.PUT(noBody()),
				false);
	}

	/**
	 * Deletes one object, paced with the client's other deletes in the container once it
	 * pushed back ({@link WritePacer}).
	 * @return false when the object was already gone
	 */
	public boolean delete(String container, String object) {
		String what = "DELETE " + container + "/" + object;
		return this.retries
			.call(this.region, what + " in " + this.region,
					() -> this.pacer.attempt(container, 1,
							() -> answer(what, sendOnce(what, () -> request(container, object, "").DELETE()), true)))
			.statusCode() != 404;
	}

	/**
	 * Deletes objects of a container, an object already gone being no error: with Swift's
	 * bulk delete where the cluster offers it, else one by one, paced under Cloud Files'
	 * write limit either way (see {@link ObjectDeletes}). Never raises for what it could
	 * not delete: that is answered, for the caller to record and try again.
	 */
	public Deletion deleteAll(String container, List<String> objects) {
		return this.deletes.deleteAll(container, objects);
	}

	/** Whether the cluster offers bulk delete, as its {@code /info} says (asked once). */
	boolean bulkDelete() {
		return this.deletes.info().bulkDelete();
	}

	private HttpRequest.Builder request(String container, String object, String query) {
		return HttpRequest.newBuilder(uri(container, object, query)).timeout(this.timeout);
	}

	URI uri(String container, String object, String query) {
		URI base = this.account.storageUrl(this.region, this.serviceNet);
		String path = base.toString() + ((container != null) ? "/" + encode(container) : "")
				+ ((object != null) ? "/" + encode(object) : "");
		return URI.create(path + query);
	}

	/**
	 * Sends with retries; a 404 is returned when {@code notFoundIsAnswer}, any other
	 * error status raised.
	 */
	private HttpResponse<InputStream> send(String what, Supplier<HttpRequest.Builder> request,
			boolean notFoundIsAnswer) {
		return this.retries.call(this.region, what + " in " + this.region,
				() -> answer(what, sendOnce(what, request), notFoundIsAnswer));
	}

	/**
	 * A response that is an answer; any other status raises (a 404 too, unless asked).
	 */
	private HttpResponse<InputStream> answer(String what, HttpResponse<InputStream> response,
			boolean notFoundIsAnswer) {
		if (response.statusCode() == 404 && notFoundIsAnswer) {
			close(response);
			return response;
		}
		if (response.statusCode() >= 300) {
			String body = readError(response);
			throw CloudException.ofStatus(what + " in " + this.region, response.statusCode(), body, null);
		}
		return response;
	}

	/**
	 * One exchange; 401 re-authenticates once, 5xx/413 raise retryable errors (with
	 * Retry-After).
	 */
	HttpResponse<InputStream> sendOnce(String what, Supplier<HttpRequest.Builder> request) {
		return this.account.withToken((token) -> {
			HttpRequest built = request.get().header("X-Auth-Token", token).build();
			HttpResponse<InputStream> response;
			try {
				response = this.http.send(built, HttpResponse.BodyHandlers.ofInputStream());
			}
			catch (IOException ex) {
				this.retries.observer().answered(this.region, "object-store", 0);
				throw CloudException
					.retryable(what + " in " + this.region + " failed: " + AccountSession.rootMessage(ex), 0, null, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CloudException(what + " interrupted", 0, false, null, ex);
			}
			int status = response.statusCode();
			this.retries.observer().answered(this.region, "object-store", status);
			if (status == 401 || status >= 500 || status == 413 || status == 429) {
				String body = readError(response);
				throw CloudException.ofStatus(what + " in " + this.region, status, body,
						RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)));
			}
			return response;
		});
	}

	private static String readError(HttpResponse<InputStream> response) {
		try (InputStream in = response.body()) {
			return new String(in.readNBytes(2000), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void close(HttpResponse<InputStream> response) {
		try {
			response.body().close();
		}
		catch (IOException ignored) {
			// nothing to keep from a finished answer
		}
	}

	private static HttpRequest.BodyPublisher noBody() {
		return HttpRequest.BodyPublishers.noBody();
	}

	static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	static String unquote(String etag) {
		return etag.replace("\"", "");
	}

}

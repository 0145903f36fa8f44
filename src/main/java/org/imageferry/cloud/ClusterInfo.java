package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Swift cluster offers that the clean-up depends on, from its capabilities
 * document {@code GET /info} at the root of the storage URL
 * ({@code https://host/v1/AUTH_x} → {@code https://host/info}). Bulk delete is
 * middleware: Rackspace's Cloud Files has it, a plain Swift may not (its
 * {@code ?bulk-delete} is then 405), and {@code /info} lists {@code bulk_delete} exactly
 * when it is there. Rackspace and Swift serve {@code /info} without a token. A cluster
 * whose {@code /info} cannot be read is taken to have no bulk delete: deleting object by
 * object is slower but works everywhere.
 *
 * @param bulkDelete whether {@code DELETE ?bulk-delete} is offered
 * @param maxDeletesPerRequest the most paths one bulk delete takes
 */
record ClusterInfo(boolean bulkDelete, int maxDeletesPerRequest) {

	private static final Logger log = LoggerFactory.getLogger(ClusterInfo.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Cloud Files' limit of paths in one bulk delete, when {@code /info} names none. */
	static final int BULK_DELETE_MAX = 10_000;

	static final ClusterInfo NO_BULK_DELETE = new ClusterInfo(false, 0);

	static ClusterInfo of(JsonNode info) {
		JsonNode bulk = info.path("bulk_delete");
		if (!bulk.isObject()) {
			return NO_BULK_DELETE;
		}
		int max = bulk.path("max_deletes_per_request").asInt(BULK_DELETE_MAX);
		return new ClusterInfo(true, (max > 0) ? max : BULK_DELETE_MAX);
	}

	/** {@code /info} beside the account path {@code /v1/<account>} of a storage URL. */
	static URI infoUri(URI storageUrl) {
		String url = storageUrl.toString();
		int version = url.lastIndexOf("/v1/");
		return (version >= 0) ? URI.create(url.substring(0, version) + "/info") : storageUrl.resolve("/info");
	}

	/**
	 * Reads a cluster's {@code /info}, retried like any call; answers
	 * {@link #NO_BULK_DELETE} when it cannot be read.
	 */
	static ClusterInfo ask(URI storageUrl, String region, HttpClient http, Retries retries, Duration timeout) {
		URI uri = infoUri(storageUrl);
		try {
			return retries.call(region, "GET " + uri, () -> read(uri, region, http, retries, timeout));
		}
		catch (CloudException ex) {
			log.warn("{} could not be read ({}): deleting one object at a time in {}", uri, ex.getMessage(), region);
			return NO_BULK_DELETE;
		}
	}

	private static ClusterInfo read(URI uri, String region, HttpClient http, Retries retries, Duration timeout) {
		HttpResponse<InputStream> response;
		try {
			response = http.send(
					HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build(),
					HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (IOException ex) {
			retries.observer().answered(region, "object-store", 0);
			throw CloudException.retryable("GET " + uri + " failed: " + AccountSession.rootMessage(ex), 0, null, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CloudException("GET " + uri + " interrupted", 0, false, null, ex);
		}
		int status = response.statusCode();
		retries.observer().answered(region, "object-store", status);
		try (InputStream in = response.body()) {
			if (status >= 500 || status == 429) {
				throw CloudException.ofStatus("GET " + uri, status, null,
						RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)));
			}
			if (status != 200) {
				log.info("{} answered {}: deleting one object at a time in {}", uri, status, region);
				return NO_BULK_DELETE;
			}
			ClusterInfo info = of(JSON.readTree(in));
			log.info("{} offers {}", uri, info.bulkDelete()
					? "bulk delete (" + info.maxDeletesPerRequest() + " per request)" : "no bulk delete");
			return info;
		}
		catch (IOException ex) {
			throw CloudException.retryable("GET " + uri + " was cut: " + ex.getMessage(), 0, null, ex);
		}
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Swift's bulk delete ({@code DELETE} or {@code POST ?bulk-delete} on the account): a
 * text/plain list of URL-encoded {@code /container/object} paths (or {@code /container}),
 * at most {@value #MAX_PATHS}, each deleted on its own — a Large Object's manifest alone,
 * as for any object. Answers 200 whatever happened: the body counts what was deleted and
 * not found, and lists the errors (then its {@code Response Status} is
 * {@code 400 Bad Request}, as Swift's middleware reports any failed path).
 * <p>
 * Swift's bulk middleware deletes each object with a request of its own, through the rate
 * limiter behind it; so here each object counts as one write against its container's
 * {@link WriteLimit}, and an object over the limit is not deleted but listed among the
 * errors as {@code 429 Too Many Requests}, for the client to send again. Deleting a
 * container does not count.
 */
final class BulkDelete {

	static final int MAX_PATHS = 10_000;

	private final ObjectStore store;

	private final WriteLimit writeLimit;

	BulkDelete(ObjectStore store, WriteLimit writeLimit) {
		this.store = store;
		this.writeLimit = writeLimit;
	}

	void handle(Exchange ex, String region, String account) throws IOException {
		String body;
		try (InputStream in = ex.body()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<String> paths = body.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
		if (paths.size() > MAX_PATHS) {
			throw new ApiError(413, "Maximum Bulk Deletes: " + MAX_PATHS + " per request");
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
			else if (this.writeLimit.tryAdmit(region, account, parts[0]) != null) {
				errors.addArray().add(path).add("429 Too Many Requests");
				continue;
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
		answer(ex, deleted, notFound, errors);
	}

	private static void answer(Exchange ex, int deleted, int notFound, ArrayNode errors) throws IOException {
		String status = errors.isEmpty() ? "200 OK" : "400 Bad Request";
		if (String.valueOf(ex.header("Accept")).contains("application/json")) {
			ObjectNode json = Exchange.JSON.createObjectNode();
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

}

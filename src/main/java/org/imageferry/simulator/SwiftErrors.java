package org.imageferry.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Cloud Files' answers in Swift's own style. Swift ({@code swob}) answers an error that
 * has nothing particular to say with a short HTML page naming the status (an {@code h1}
 * title and a {@code p} explanation), and one that does ({@code Object name length of
 * 1100 longer than 1024}) with that text alone, as {@code text/plain}. A client that
 * shows or parses the body sees what the real service sends; Rackspace's JSON faults
 * belong to identity and the images API, not here.
 */
final class SwiftErrors {

	/** Swift's {@code RESPONSE_REASONS}: title and explanation of each status. */
	private static final Map<Integer, String[]> REASONS = Map
		.ofEntries(reason(202, "Accepted", "The request is accepted for processing."), reason(400, "Bad Request",
				"The server could not comply with the request since it is either malformed or otherwise incorrect."),
				reason(401, "Unauthorized",
						"This server could not verify that you are authorized to access the document you requested."),
				reason(403, "Forbidden", "Access was denied to this resource."),
				reason(404, "Not Found", "The resource could not be found."),
				reason(405, "Method Not Allowed", "The method is not allowed for this resource."),
				reason(409, "Conflict", "There was a conflict when trying to complete your request."),
				reason(411, "Length Required", "Content-Length header required."),
				reason(412, "Precondition Failed", "A precondition for this request was not met."),
				reason(413, "Request Entity Too Large", "The body of your request was too large for this server."),
				reason(416, "Requested Range Not Satisfiable", "The Range requested is not available."),
				reason(422, "Unprocessable Entity", "Unable to process the contained instructions"),
				// not in Swift's table (its own limiter answers 498): RFC 6585's words
				reason(429, "Too Many Requests", "The user has sent too many requests in a given amount of time."),
				reason(500, "Internal Error",
						"The server has either erred or is incapable of performing the requested operation."),
				reason(503, "Service Unavailable",
						"The server is currently unavailable. Please try again at a later time."));

	private SwiftErrors() {
	}

	private static Map.Entry<Integer, String[]> reason(int status, String title, String explanation) {
		return Map.entry(status, new String[] { title, explanation });
	}

	/**
	 * Swift's body for a status answered without one of its own, e.g. the page titled
	 * "Accepted" for a 202.
	 */
	static byte[] defaultBody(int status) {
		String[] reason = REASONS.getOrDefault(status, REASONS.get(500));
		return ("<html><h1>" + reason[0] + "</h1><p>" + reason[1] + "</p></html>").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * An error whose message is its status's title or explanation gets the HTML page; any
	 * other message is the body, as text. A {@code Retry-After} goes along. The answer
	 * goes out at once, whatever is left of the request body unread: the HTTP layer then
	 * closes the connection, as Swift answers before it reads a body (see
	 * {@link Exchange}).
	 */
	static void answer(Exchange ex, ApiError error) throws IOException {
		if (ex.answered()) {
			return;
		}
		if (error.retryAfter() != null) {
			ex.setHeader("Retry-After", error.retryAfter());
		}
		String[] reason = REASONS.get(error.status());
		String message = error.getMessage();
		if (message == null || reason == null || message.equals(reason[0]) || message.equals(reason[1])) {
			ex.sendBytes(error.status(), "text/html; charset=UTF-8", defaultBody(error.status()));
			return;
		}
		ex.sendBytes(error.status(), "text/plain; charset=UTF-8", message.getBytes(StandardCharsets.UTF_8));
	}

}

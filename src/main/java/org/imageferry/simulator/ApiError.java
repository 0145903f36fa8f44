package org.imageferry.simulator;

/**
 * An HTTP error answer raised anywhere in a simulated service; the server turns it into a
 * response with the status and a plain-text explanation, as Glance and Swift do.
 */
final class ApiError extends RuntimeException {

	private final int status;

	private final String retryAfter;

	ApiError(int status, String message) {
		this(status, message, null);
	}

	ApiError(int status, String message, String retryAfter) {
		super(message, null, false, false);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	int status() {
		return this.status;
	}

	String retryAfter() {
		return this.retryAfter;
	}

}

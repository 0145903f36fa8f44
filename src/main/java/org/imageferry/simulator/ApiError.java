package org.imageferry.simulator;

/**
 * An HTTP error answer raised anywhere in a simulated service. Swift and Glance answer
 * errors in plain text; Rackspace's identity service and the rate limiter in front of its
 * APIs answer a JSON fault instead, {@code {"overLimit": {"code": 413, "message": ...,
 * "retryAfter": ...}}}: such errors carry the fault's name.
 */
final class ApiError extends RuntimeException {

	private final int status;

	private final String retryAfter;

	private final String fault;

	ApiError(int status, String message) {
		this(status, message, null);
	}

	ApiError(int status, String message, String retryAfter) {
		this(status, message, retryAfter, null);
	}

	private ApiError(int status, String message, String retryAfter, String fault) {
		super(message, null, false, false);
		this.status = status;
		this.retryAfter = retryAfter;
		this.fault = fault;
	}

	/**
	 * An error answered as a Rackspace JSON fault, e.g. {@code badRequest},
	 * {@code unauthorized}, {@code itemNotFound}.
	 */
	static ApiError fault(int status, String name, String message) {
		return new ApiError(status, message, null, name);
	}

	/**
	 * Rackspace's rate limiter: 413 {@code overLimit} with {@code Retry-After}, in
	 * seconds or as an HTTP-date, repeated as the fault's {@code retryAfter}.
	 */
	static ApiError overLimit(String message, String retryAfter) {
		return new ApiError(413, message, retryAfter, "overLimit");
	}

	int status() {
		return this.status;
	}

	String retryAfter() {
		return this.retryAfter;
	}

	/** The JSON fault's name, or null for a plain-text answer. */
	String fault() {
		return this.fault;
	}

}

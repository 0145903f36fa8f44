package org.imageferry.cloud;

import java.time.Duration;

/**
 * A failed call to the cloud, typed by what the caller can do about it: a
 * {@linkplain #retryable() retryable} one (5xx, 413 Over Limit, a dropped connection, a
 * timeout) may succeed later; any other will not and belongs to the caller (an image that
 * does not exist, a refused credential).
 */
public class CloudException extends RuntimeException {

	private final int status;

	private final boolean retryable;

	private final Duration retryAfter;

	public CloudException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.retryable = retryable;
		this.retryAfter = retryAfter;
	}

	public static CloudException permanent(String message, int status) {
		return new CloudException(message, status, false, null, null);
	}

	public static CloudException retryable(String message, int status, Duration retryAfter, Throwable cause) {
		return new CloudException(message, status, true, retryAfter, cause);
	}

	/** Classifies an HTTP status the way every client here does. */
	public static CloudException ofStatus(String what, int status, String body, Duration retryAfter) {
		String message = what + " answered HTTP " + status + ((body == null || body.isBlank()) ? ""
				: ": " + body.strip().lines().reduce((a, b) -> b).orElse("").strip());
		boolean retryable = status >= 500 || status == 413 || status == 429 || status == 408;
		return new CloudException(message, status, retryable, retryAfter, null);
	}

	/**
	 * The HTTP status, or 0 when no answer came (connection refused or dropped, timeout).
	 */
	public int status() {
		return this.status;
	}

	public boolean retryable() {
		return this.retryable;
	}

	/** What the server asked for in {@code Retry-After}, or null. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	public boolean unauthorized() {
		return this.status == 401;
	}

	public boolean notFound() {
		return this.status == 404;
	}

}

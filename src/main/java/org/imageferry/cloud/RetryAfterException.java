package org.imageferry.cloud;

import org.openstack4j.api.exceptions.ResponseException;

/**
 * An error answer OpenStack4j maps to an exception, with the {@code Retry-After} header
 * it carried: OpenStack4j's own exceptions keep only the status and the message, and a
 * 413 Over Limit without its {@code Retry-After} cannot be waited out as the cloud asked.
 */
final class RetryAfterException extends ResponseException {

	private static final long serialVersionUID = 1L;

	private final String header;

	RetryAfterException(ResponseException answer, String header) {
		super(answer.getMessage(), answer.getStatus(), answer);
		this.header = header;
	}

	/** The header as the service sent it. */
	String header() {
		return this.header;
	}

}

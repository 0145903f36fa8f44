package org.imageferry.cloud;

/**
 * Hears every answer the cloud gives and every retry, so a caller can count them
 * (metrics) without the clients knowing how. Both methods must be cheap and must not
 * throw.
 */
public interface CloudObserver {

	/** Observes nothing. */
	CloudObserver NONE = new CloudObserver() {
	};

	/**
	 * One HTTP exchange ended.
	 * @param region the region, or {@code identity}
	 * @param service {@code identity}, {@code image} or {@code object-store}
	 * @param status the HTTP status, or 0 when no answer came (refused, dropped, timed
	 * out)
	 */
	default void answered(String region, String service, int status) {
	}

	/**
	 * A failed call is about to be tried again.
	 * @param region the region, or {@code identity}
	 * @param what the call, for a log line
	 * @param failure why the last attempt failed
	 */
	default void retrying(String region, String what, Throwable failure) {
	}

}

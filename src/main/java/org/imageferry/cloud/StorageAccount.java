package org.imageferry.cloud;

import java.net.URI;
import java.util.function.Function;

/**
 * What {@link SwiftClient} needs of an account's identity: the token its requests carry,
 * where the account's Cloud Files is in a region, and a new token once a service refused
 * the one it sent. Rackspace answers these from its identity service and service catalog
 * ({@link AccountSession}); a plain OpenStack Swift with its own auth (tempauth) answers
 * them without a catalog — the object-store API behind them is the same, which is what
 * lets the data path be tested against a real Swift.
 */
public interface StorageAccount {

	/**
	 * The current token, authenticating first when there is none or it is about to
	 * expire.
	 */
	String token();

	/**
	 * @param internal the internalURL (ServiceNet) instead of the publicURL
	 * @return the account's storage URL in {@code region}, e.g.
	 * {@code https://storage101.iad3.clouddrive.com/v1/MossoCloudFS_<uuid>}
	 */
	URI storageUrl(String region, boolean internal);

	/**
	 * Forgets a token a service refused, so the next {@link #token()} authenticates
	 * again; nothing happens when a newer token is already in use.
	 */
	void invalidate(String refused);

	/**
	 * Runs a call with the current token; when the service answers 401, authenticates
	 * again and retries once, as Rackspace asks.
	 */
	default <T> T withToken(Function<String, T> call) {
		String token = token();
		try {
			return call.apply(token);
		}
		catch (CloudException ex) {
			if (!ex.unauthorized()) {
				throw ex;
			}
			invalidate(token);
			return call.apply(token());
		}
	}

}

package org.imageferry.testsupport.realswift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.StorageAccount;

/**
 * An account of Swift's tempauth as a {@link StorageAccount}: {@code GET /auth/v1.0} with
 * {@code X-Auth-User} and {@code X-Auth-Key} answers the token ({@code X-Auth-Token}) and
 * the account's storage URL ({@code X-Storage-Url}). A single-node Swift has one region,
 * so every region name is answered with the one storage URL (the tests call the source
 * "DFW" and the target "IAD"), and it has no ServiceNet.
 */
public final class TempAuth implements StorageAccount {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final URI proxy;

	private final RealSwift.User user;

	private String token;

	private URI storageUrl;

	TempAuth(URI proxy, RealSwift.User user) {
		this.proxy = proxy;
		this.user = user;
	}

	public RealSwift.User user() {
		return this.user;
	}

	@Override
	public synchronized String token() {
		if (this.token == null) {
			authenticate();
		}
		return this.token;
	}

	@Override
	public synchronized URI storageUrl(String region, boolean internal) {
		if (internal) {
			throw CloudException.permanent("tempauth has no internalURL (ServiceNet)", 0);
		}
		if (this.storageUrl == null) {
			authenticate();
		}
		return this.storageUrl;
	}

	@Override
	public synchronized void invalidate(String refused) {
		if (refused.equals(this.token)) {
			this.token = null;
		}
	}

	private void authenticate() {
		HttpResponse<String> answer;
		try {
			answer = HTTP.send(HttpRequest.newBuilder(this.proxy.resolve("/auth/v1.0"))
				.header("X-Auth-User", this.user.authUser())
				.header("X-Auth-Key", this.user.key())
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw CloudException.retryable("tempauth at " + this.proxy + " failed: " + ex, 0, null, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CloudException("tempauth interrupted", 0, false, null, ex);
		}
		if (answer.statusCode() != 200) {
			throw CloudException.ofStatus("tempauth of " + this.user.authUser(), answer.statusCode(), answer.body(),
					null);
		}
		this.token = answer.headers().firstValue("X-Auth-Token").orElseThrow();
		this.storageUrl = URI.create(answer.headers().firstValue("X-Storage-Url").orElseThrow());
	}

}

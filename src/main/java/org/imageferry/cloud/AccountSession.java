package org.imageferry.cloud;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.identity.v2.Access;
import org.openstack4j.model.identity.v2.Endpoint;
import org.openstack4j.openstack.OSFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Rackspace account's identity: authenticates with the API key (Identity v2.0,
 * {@code RAX-KSKEY:apiKeyCredentials}), keeps the token and the service catalog, and
 * authenticates again before the token expires or when a service answers 401.
 * Thread-safe; every unit of work builds its own OpenStack4j client from the shared
 * {@link Access} (OpenStack4j keeps its session in a thread-local). Cloud Files takes its
 * token and storage URL from here through {@link StorageAccount}.
 */
public final class AccountSession implements StorageAccount {

	private static final Logger log = LoggerFactory.getLogger(AccountSession.class);

	/**
	 * Authenticate again this long before the token expires, or a fifth of its life if
	 * that is shorter.
	 */
	private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(10);

	private final String identityUrl;

	private final Credentials credentials;

	private final Config config;

	private final Retries retries;

	private final Clock clock;

	private Access access;

	private Instant issued;

	/**
	 * @param tls whom TLS connections trust (OpenStack4j's calls go through
	 * {@link JdkHttpConnector}, which takes it from the {@link Config})
	 */
	public AccountSession(String identityUrl, Credentials credentials, Duration timeout, SSLContext tls,
			Retries retries, Clock clock) {
		this.identityUrl = identityUrl;
		this.credentials = credentials;
		this.config = Config.newConfig()
			.withConnectionTimeout((int) timeout.toMillis())
			.withReadTimeout((int) timeout.toMillis())
			.withSSLContext(tls);
		this.retries = retries;
		this.clock = clock;
	}

	public String username() {
		return this.credentials.username();
	}

	/** The time this account's clients go by (token expiry, when tasks were listed). */
	public Clock clock() {
		return this.clock;
	}

	/** The connect and read timeouts every OpenStack4j client of this account uses. */
	public Config config() {
		return this.config;
	}

	/**
	 * The current access, authenticating first when there is none or its token is about
	 * to expire.
	 */
	public synchronized Access access() {
		if (this.access == null || expiresSoon(this.access)) {
			this.access = this.retries.call("identity", "identity " + this.identityUrl, this::authenticate);
			this.issued = this.clock.instant();
		}
		return this.access;
	}

	private boolean expiresSoon(Access access) {
		Instant expires = access.getToken().getExpires().toInstant();
		Duration life = Duration.between(this.issued, expires);
		Duration margin = (life.compareTo(REFRESH_BEFORE_EXPIRY.multipliedBy(5)) < 0) ? life.dividedBy(5)
				: REFRESH_BEFORE_EXPIRY;
		return this.clock.instant().plus(margin).isAfter(expires);
	}

	private Access authenticate() {
		try {
			OSClient.OSClientV2 client = OSFactory.builderV2()
				.endpoint(this.identityUrl)
				.credentials(this.credentials.username(), this.credentials.apiKey())
				.raxApiKey(true)
				.withConfig(this.config)
				.authenticate();
			answered(200);
			Access access = client.getAccess();
			// OpenStack4j builds the catalog it resolves endpoints from on first use and
			// publishes it before filling it: built here, before other threads share it
			access.getAggregatedCatalog();
			// never the token itself: it is as good as the key until it expires
			log.debug("identity at {} authenticated user '{}'; the token expires at {}", this.identityUrl,
					this.credentials.username(), access.getToken().getExpires().toInstant());
			return access;
		}
		catch (AuthenticationException ex) {
			answered(ex.getStatus());
			throw CloudException.permanent("identity at " + this.identityUrl + " refused the API key of user '"
					+ this.credentials.username() + "' (HTTP " + ex.getStatus() + ")", ex.getStatus());
		}
		catch (ConnectionException ex) {
			answered(0);
			if (tlsFailure(ex)) {
				throw CloudException.permanent("identity at " + this.identityUrl + " failed TLS verification: "
						+ rootMessage(ex) + " (a private CA? name its PEM certificate in image-ferry.ca-bundle)", 0);
			}
			throw CloudException.retryable("identity at " + this.identityUrl + " is unreachable: " + rootMessage(ex), 0,
					null, null);
		}
		catch (ResponseException ex) {
			answered(ex.getStatus());
			throw CloudException.ofStatus("identity at " + this.identityUrl, ex.getStatus(), ex.getMessage(),
					RetryAfter.of(ex));
		}
	}

	private void answered(int status) {
		this.retries.observer().answered("identity", "identity", status);
	}

	@Override
	public String token() {
		return access().getToken().getId();
	}

	@Override
	public URI storageUrl(String region, boolean internal) {
		return endpoint("object-store", region, internal);
	}

	@Override
	public synchronized void invalidate(String refused) {
		if (this.access != null && this.access.getToken().getId().equals(refused)) {
			this.access = null;
		}
	}

	/**
	 * Runs an OpenStack4j call with the current access; when the service answers 401,
	 * authenticates again and retries once, as {@link #withToken} does for Cloud Files.
	 */
	public <T> T withAccess(Function<Access, T> call) {
		Access current = access();
		try {
			return call.apply(current);
		}
		catch (CloudException ex) {
			if (!ex.unauthorized()) {
				throw ex;
			}
			invalidate(current.getToken().getId());
			return call.apply(access());
		}
	}

	/** The account's tenant id, as the catalog's Cloud Images endpoints name it. */
	public String tenantId() {
		for (Access.Service service : access().getServiceCatalog()) {
			for (Endpoint endpoint : service.getEndpoints()) {
				if (service.getType().equals("image") && endpoint.getTenantId() != null) {
					return endpoint.getTenantId();
				}
			}
		}
		throw CloudException.permanent("the catalog of user '" + username() + "' has no Cloud Images endpoint", 0);
	}

	/**
	 * @param type catalog type, {@code image} or {@code object-store}
	 * @param internal the internalURL (ServiceNet) instead of the publicURL
	 */
	public URI endpoint(String type, String region, boolean internal) {
		List<? extends Access.Service> catalog = access().getServiceCatalog();
		for (Access.Service service : catalog) {
			if (!service.getType().equals(type)) {
				continue;
			}
			for (Endpoint endpoint : service.getEndpoints()) {
				if (region.equalsIgnoreCase(endpoint.getRegion())) {
					URI url = internal ? endpoint.getInternalURL() : endpoint.getPublicURL();
					if (url == null) {
						throw CloudException.permanent(
								"the catalog of user '" + username() + "' has no "
										+ (internal ? "internalURL" : "publicURL") + " for " + type + " in " + region,
								0);
					}
					return url;
				}
			}
		}
		throw CloudException
			.permanent("the catalog of user '" + username() + "' has no " + type + " endpoint in region " + region, 0);
	}

	/**
	 * A certificate the trust store refuses will not be trusted on a retry either.
	 */
	static boolean tlsFailure(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof javax.net.ssl.SSLException) {
				return true;
			}
		}
		return false;
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		if (root.getMessage() != null && !root.getMessage().isBlank()) {
			return (root instanceof java.net.UnknownHostException) ? "unknown host " + root.getMessage()
					: root.getMessage();
		}
		// the JDK HttpClient's connect failures and timeouts carry no message
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof java.net.ConnectException) {
				return "could not connect";
			}
			if (t instanceof java.net.http.HttpTimeoutException) {
				return "timed out";
			}
		}
		return root.getClass().getSimpleName();
	}

}

package org.imageferry.job;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.openstack4j.model.identity.v2.Access;
import org.openstack4j.model.identity.v2.Endpoint;

import org.imageferry.cloud.AccountSession;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.Credentials;
import org.imageferry.cloud.CredentialsSource;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.SwiftClient;

/**
 * The two ends of a run, connected: both accounts authenticated, both regions found in
 * their catalogs, both containers present (created when the profile allows). What the
 * profile's values alone can tell is checked when it is bound ({@link FerryProperties}'
 * constraints); what needs the cloud is found here, before any task is created.
 */
public final class MigrationRoute {

	private final Side source;

	private final Side target;

	private final List<String> containersToCreate;

	private MigrationRoute(Side source, Side target, List<String> containersToCreate) {
		this.source = source;
		this.target = target;
		this.containersToCreate = List.copyOf(containersToCreate);
	}

	/**
	 * For a dry run: the containers a real run would create, as {@code REGION/container}.
	 */
	public List<String> containersToCreate() {
		return this.containersToCreate;
	}

	public Side source() {
		return this.source;
	}

	public Side target() {
		return this.target;
	}

	/**
	 * How the ledger and the job parameters name the route, e.g.
	 * {@code DFW:alice>IAD:alice}.
	 */
	public String key() {
		return this.source.key() + ">" + this.target.key();
	}

	/**
	 * Authenticates both accounts and checks (or creates) both containers; a dry run
	 * creates nothing and lists what it would create. Identity refusing a key is a
	 * configuration error; identity unreachable past the retries stays a
	 * {@link CloudException}, which a later run may not meet.
	 */
	public static MigrationRoute connect(FerryProperties properties, CredentialsSource credentials, HttpClient http,
			Retries retries, Clock clock, boolean dryRun) {
		Credentials sourceCredentials;
		Credentials targetCredentials;
		try {
			sourceCredentials = credentials.credentials("source");
			targetCredentials = credentials.credentials("target");
		}
		catch (IllegalStateException ex) {
			throw new ConfigurationException(ex.getMessage());
		}
		AccountSession sourceSession = new AccountSession(properties.identityUrl(), sourceCredentials,
				properties.httpTimeout(), http.sslContext(), retries, clock);
		AccountSession targetSession = sourceCredentials.equals(targetCredentials) ? sourceSession
				: new AccountSession(properties.identityUrl(), targetCredentials, properties.httpTimeout(),
						http.sslContext(), retries, clock);
		Side source = side(properties, properties.source(), sourceSession, http, retries);
		Side target = side(properties, properties.target(), targetSession, http, retries);
		if (source.key().equals(target.key())) {
			throw new ConfigurationException("source and target are the same region of the same account ("
					+ source.key() + "): nothing to migrate");
		}
		List<String> toCreate = new ArrayList<>();
		container(properties, source, dryRun, toCreate);
		container(properties, target, dryRun, toCreate);
		return new MigrationRoute(source, target, toCreate);
	}

	private static Side side(FerryProperties properties, FerryProperties.Endpoint endpoint, AccountSession session,
			HttpClient http, Retries retries) {
		String region = endpoint.region().toUpperCase(java.util.Locale.ROOT);
		Access access;
		try {
			access = session.access();
		}
		catch (CloudException ex) {
			if (ex.retryable()) {
				throw ex;
			}
			throw new ConfigurationException(ex.getMessage() + (ex.unauthorized() || ex.status() == 403
					? "; check the username and API key (RAX_* variables or image-ferry.credentials-file)"
					: "; check image-ferry.identity-url"));
		}
		TreeSet<String> regions = new TreeSet<>();
		access.getServiceCatalog()
			.stream()
			.filter((s) -> s.getType().equals("image"))
			.flatMap((s) -> s.getEndpoints().stream())
			.map(Endpoint::getRegion)
			.forEach(regions::add);
		if (!regions.contains(region)) {
			throw new ConfigurationException("region " + endpoint.region() + " is not in the catalog of user '"
					+ session.username() + "'; its Cloud Images regions are " + regions);
		}
		return new Side(region, session, new ImagesClient(session, region, retries),
				new SwiftClient(session, region, properties.serviceNet(), http, retries, properties.httpTimeout()),
				endpoint.container());
	}

	private static void container(FerryProperties properties, Side side, boolean dryRun, List<String> toCreate) {
		try {
			if (properties.createContainers() && !dryRun) {
				side.files().ensureContainer(side.container());
			}
			else if (side.files().containerExists(side.container())) {
				return;
			}
			else if (properties.createContainers()) {
				toCreate.add(side.region() + "/" + side.container());
			}
			else {
				throw new ConfigurationException("container '" + side.container() + "' does not exist in "
						+ side.region() + " (create it, or set image-ferry.create-containers: true)");
			}
		}
		catch (CloudException ex) {
			if (ex.retryable()) {
				throw ex;
			}
			throw new ConfigurationException(
					"container '" + side.container() + "' in " + side.region() + " cannot be used: " + ex.getMessage());
		}
	}

}

package org.imageferry.job;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.openstack4j.model.identity.v2.Access;
import org.openstack4j.model.identity.v2.Endpoint;

import org.imageferry.cloud.AccountSession;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.Credentials;
import org.imageferry.cloud.CredentialsSource;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.ProtectedProperties;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.SwiftClient;
import org.imageferry.ingest.Provenance;

/**
 * The two ends of a run, connected: both accounts authenticated, both regions found in
 * their catalogs, both containers present (created when the profile allows). Everything
 * that can be wrong with a profile is found here, before any task is created.
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

	/** Checks what can be checked without the cloud. */
	public static void validate(FerryProperties properties) {
		List<String> problems = new ArrayList<>();
		check(problems, "source", properties.source());
		check(problems, "target", properties.target());
		if (properties.tasksInFlightPerRegion() < 1) {
			problems.add("image-ferry.tasks-in-flight-per-region must be at least 1");
		}
		if (properties.maxManifestLines() < 1) {
			problems.add("image-ferry.max-manifest-lines must be at least 1");
		}
		if (properties.transferConcurrency() < 1) {
			problems.add("image-ferry.transfer-concurrency must be at least 1");
		}
		if (properties.apiConcurrency() < 1) {
			problems.add("image-ferry.api-concurrency must be at least 1");
		}
		if (properties.segmentConcurrency() < 1) {
			problems.add("image-ferry.segment-concurrency must be at least 1");
		}
		checkSetProperties(problems, properties.setProperties().keySet());
		if (properties.identityUrl() == null || !properties.identityUrl().matches("https?://.+")) {
			problems.add("image-ferry.identity-url must be an http(s) URL, not '" + properties.identityUrl() + "'");
		}
		if (!problems.isEmpty()) {
			throw new ConfigurationException("invalid job profile:\n  " + String.join("\n  ", problems));
		}
	}

	/**
	 * {@code set-properties} holds properties to add: not a key Rackspace protects (the
	 * patch would be refused whole), the provenance, or a field copied from the source.
	 */
	private static void checkSetProperties(List<String> problems, Set<String> keys) {
		for (String key : new TreeSet<>(keys)) {
			String prefix = "image-ferry.set-properties." + key + ": ";
			if (ProtectedProperties.isProtected(key)) {
				problems.add(
						prefix + "Rackspace protects '" + key + "' (a patch that sets it is refused whole); remove it");
			}
			else if (key.equals(Provenance.PROPERTY)) {
				problems.add(prefix + "image-ferry sets it to where the image came from; remove it");
			}
			else if (Set.of("name", "tags", "min_disk", "min_ram", "protected").contains(key)) {
				problems.add(prefix + "'" + key + "' is an image field, not a property; remove it");
			}
		}
	}

	private static void check(List<String> problems, String side, FerryProperties.Endpoint endpoint) {
		if (endpoint == null || endpoint.region() == null || endpoint.region().isBlank()) {
			problems.add("image-ferry." + side + ".region is not set (e.g. DFW, ORD, IAD, LON, SYD, HKG)");
			return;
		}
		String container = endpoint.container();
		if (container == null || container.isBlank() || container.matches(".*[/?.].*") || container.length() > 256) {
			problems.add("image-ferry." + side + ".container '" + container
					+ "' is not a valid export container: 1 to 256 characters, without '/', '?' or '.'");
		}
	}

	/**
	 * Authenticates both accounts and checks (or creates) both containers; a dry run
	 * creates nothing and lists what it would create. Identity refusing a key is a
	 * configuration error; identity unreachable past the retries stays a
	 * {@link CloudException}, which a later run may not meet.
	 */
	public static MigrationRoute connect(FerryProperties properties, CredentialsSource credentials, HttpClient http,
			Retries retries, Clock clock, boolean dryRun) {
		validate(properties);
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

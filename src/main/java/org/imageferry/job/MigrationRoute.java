package org.imageferry.job;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
import org.imageferry.ledger.RunTarget;

/**
 * The ends of a run, connected: every account authenticated, every region found in its
 * catalog, every container present (created when the profile allows) — the source, and
 * each target of the profile. What the profile's values alone can tell is checked when it
 * is bound ({@link FerryProperties}' constraints); what needs the cloud is found here,
 * before any task is created.
 */
public final class MigrationRoute {

	/**
	 * One target of the run, connected.
	 *
	 * @param name the profile's name for it (status, reports, metrics)
	 * @param route the key of its rows in the ledger, e.g. {@code DFW:alice>IAD:alice}
	 */
	public record Target(String name, Side side, String route) {

		public RunTarget ledger() {
			return new RunTarget(this.name, this.route);
		}

	}

	private final Side source;

	private final List<Target> targets;

	private final List<String> containersToCreate;

	private MigrationRoute(Side source, List<Target> targets, List<String> containersToCreate) {
		this.source = source;
		this.targets = List.copyOf(targets);
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

	/** The targets, in the profile's order. */
	public List<Target> targets() {
		return this.targets;
	}

	/** Every target's route: the rows of the run. */
	public List<String> routes() {
		return this.targets.stream().map(Target::route).toList();
	}

	/**
	 * How the job parameters name the run's route: the source, then each target's key,
	 * e.g. {@code DFW:alice>IAD:alice} for one target (a run's key from before several
	 * targets, unchanged) and {@code DFW:alice>IAD:alice,ORD:bob} for two.
	 */
	public String key() {
		return this.source.key() + ">"
				+ this.targets.stream().map((t) -> t.side().key()).collect(Collectors.joining(","));
	}

	/**
	 * Authenticates every account and checks (or creates) every container; a dry run
	 * creates nothing and lists what it would create. Identity refusing a key is a
	 * configuration error; identity unreachable past the retries stays a
	 * {@link CloudException}, which a later run may not meet.
	 */
	public static MigrationRoute connect(FerryProperties properties, CredentialsSource credentials, HttpClient http,
			Retries retries, Clock clock, boolean dryRun) {
		List<FerryProperties.Target> wanted = properties.destinations();
		Map<Credentials, AccountSession> sessions = new HashMap<>();
		Side source = side(properties, properties.source(),
				session(properties, credentials, List.of("source"), sessions, http, retries, clock), http, retries);
		List<Target> targets = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		keys.add(source.key());
		for (FerryProperties.Target each : wanted) {
			AccountSession session = session(properties, credentials, each.credentialNames(), sessions, http, retries,
					clock);
			Side target = side(properties, new FerryProperties.Endpoint(each.region(), each.container()), session, http,
					retries);
			if (target.key().equals(source.key())) {
				throw new ConfigurationException("source and target are the same region of the same account ("
						+ source.key() + "): nothing to migrate");
			}
			if (!keys.add(target.key())) {
				throw new ConfigurationException("target " + each.name() + " is the region and account of another "
						+ "target (" + target.key() + "): each target needs a region or account of its own");
			}
			targets.add(new Target(each.name(), target, source.key() + ">" + target.key()));
		}
		List<String> toCreate = new ArrayList<>();
		container(properties, source, dryRun, toCreate);
		targets.forEach((target) -> container(properties, target.side(), dryRun, toCreate));
		return new MigrationRoute(source, targets, toCreate);
	}

	/** One session per account, whichever sides it serves. */
	private static AccountSession session(FerryProperties properties, CredentialsSource credentials, List<String> names,
			Map<Credentials, AccountSession> sessions, HttpClient http, Retries retries, Clock clock) {
		Credentials found;
		try {
			found = credentials.credentials(names);
		}
		catch (IllegalStateException ex) {
			throw new ConfigurationException(ex.getMessage());
		}
		return sessions.computeIfAbsent(found, (key) -> new AccountSession(properties.identityUrl(), key,
				properties.httpTimeout(), http.sslContext(), retries, clock));
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

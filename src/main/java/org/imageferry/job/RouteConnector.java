package org.imageferry.job;

import java.net.http.HttpClient;
import java.time.Clock;

import org.imageferry.cloud.CredentialsSource;
import org.imageferry.cloud.Retries;

/**
 * Connects the route once per process, when first needed: commands that only read the
 * ledger never authenticate.
 */
public class RouteConnector {

	private final FerryProperties properties;

	private final CredentialsSource credentials;

	private final HttpClient http;

	private final Retries retries;

	private final Clock clock;

	private MigrationRoute route;

	public RouteConnector(FerryProperties properties, CredentialsSource credentials, HttpClient http, Retries retries,
			Clock clock) {
		this.properties = properties;
		this.credentials = credentials;
		this.http = http;
		this.retries = retries;
		this.clock = clock;
	}

	public synchronized MigrationRoute route() {
		if (this.route == null) {
			this.route = MigrationRoute.connect(this.properties, this.credentials, this.http, this.retries, this.clock,
					false);
		}
		return this.route;
	}

	/**
	 * The route of a run that is under way: the profile's, which must still be the one
	 * the run was started with (its {@code route} parameter, the source and every target)
	 * — else the rows of a target no longer in the profile would have no stage, or a row
	 * would be moved to a region it was not recorded for.
	 * @param runsRoute the run's {@code route} parameter; null: nothing to compare
	 * @throws ConfigurationException when the profile's route differs
	 */
	public MigrationRoute routeOf(String runsRoute) {
		MigrationRoute route = route();
		if (runsRoute != null && !runsRoute.equals(route.key())) {
			throw new ConfigurationException("this run was started for " + runsRoute + " but the profile now names "
					+ route.key() + ": continue it with the profile it was started with, or start a new run");
		}
		return route;
	}

	/** Connects without creating anything, for a dry run. */
	public MigrationRoute plan() {
		return MigrationRoute.connect(this.properties, this.credentials, this.http, this.retries, this.clock, true);
	}

}

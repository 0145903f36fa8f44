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

	/** Connects without creating anything, for a dry run. */
	public MigrationRoute plan() {
		return MigrationRoute.connect(this.properties, this.credentials, this.http, this.retries, this.clock, true);
	}

}

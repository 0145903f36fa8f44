package org.imageferry.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * The misbehaviour a simulated cloud shows, all off by default. Rates are probabilities
 * per request, drawn from one seeded generator so a failing run can be replayed.
 *
 * @param seed seed of the random draws
 * @param serviceUnavailableRate share of requests answered 503 (with
 * {@code Retry-After: 1})
 * @param serverErrorRate share of requests answered 500
 * @param dropRate share of requests whose connection is cut: mid-body for object GETs,
 * before the answer otherwise
 * @param tasksInFlightCap per tenant and region, the number of pending or processing
 * tasks above which {@code POST /v2/tasks} answers 413 Over Limit; 0 for no cap
 * @param forcedImportFailures import tasks whose {@code import_from} object name starts
 * with one of these image ids fail with the given seed code (111, 396, 413, 523, 609,
 * 614, 721); a key {@code REGION:<image id>} fails that region's imports only (one target
 * of several)
 * @param forcedExportFailures export tasks for these image ids fail with the given
 * message
 * @param listingLag how long a new object stays out of container listings (eventual
 * consistency)
 */
public record Faults(long seed, double serviceUnavailableRate, double serverErrorRate, double dropRate,
		int tasksInFlightCap, Map<String, Integer> forcedImportFailures, Map<String, String> forcedExportFailures,
		Duration listingLag, Duration retryAfter) {

	public Faults {
		forcedImportFailures = Map.copyOf(forcedImportFailures);
		forcedExportFailures = Map.copyOf(forcedExportFailures);
	}

	public static Faults none() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.seed = this.seed;
		b.serviceUnavailableRate = this.serviceUnavailableRate;
		b.serverErrorRate = this.serverErrorRate;
		b.dropRate = this.dropRate;
		b.tasksInFlightCap = this.tasksInFlightCap;
		b.forcedImportFailures = this.forcedImportFailures;
		b.forcedExportFailures = this.forcedExportFailures;
		b.listingLag = this.listingLag;
		b.retryAfter = this.retryAfter;
		return b;
	}

	boolean any() {
		return this.serviceUnavailableRate > 0 || this.serverErrorRate > 0 || this.dropRate > 0;
	}

	/**
	 * Starts with every fault off.
	 */
	public static final class Builder {

		private long seed = 1;

		private double serviceUnavailableRate;

		private double serverErrorRate;

		private double dropRate;

		private int tasksInFlightCap;

		private Map<String, Integer> forcedImportFailures = Map.of();

		private Map<String, String> forcedExportFailures = Map.of();

		private Duration listingLag = Duration.ZERO;

		private Duration retryAfter = Duration.ofSeconds(1);

		private Builder() {
		}

		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		public Builder errorRates(double serviceUnavailable, double serverError, double drop) {
			this.serviceUnavailableRate = serviceUnavailable;
			this.serverErrorRate = serverError;
			this.dropRate = drop;
			return this;
		}

		public Builder serviceUnavailableRate(double rate) {
			this.serviceUnavailableRate = rate;
			return this;
		}

		public Builder serverErrorRate(double rate) {
			this.serverErrorRate = rate;
			return this;
		}

		public Builder dropRate(double rate) {
			this.dropRate = rate;
			return this;
		}

		public Builder tasksInFlightCap(int cap) {
			this.tasksInFlightCap = cap;
			return this;
		}

		public Builder forcedImportFailures(Map<String, Integer> failures) {
			this.forcedImportFailures = failures;
			return this;
		}

		public Builder forcedExportFailures(Map<String, String> failures) {
			this.forcedExportFailures = failures;
			return this;
		}

		public Builder listingLag(Duration lag) {
			this.listingLag = lag;
			return this;
		}

		public Builder retryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
			return this;
		}

		public Faults build() {
			return new Faults(this.seed, this.serviceUnavailableRate, this.serverErrorRate, this.dropRate,
					this.tasksInFlightCap, this.forcedImportFailures, this.forcedExportFailures, this.listingLag,
					this.retryAfter);
		}

	}

}

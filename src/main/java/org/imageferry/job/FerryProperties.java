package org.imageferry.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import org.imageferry.ingest.Cleanup;
import org.imageferry.ledger.StartOrder;
import org.imageferry.transfer.BandwidthLimit;

/**
 * A job profile ({@code jobs/<name>.yml}): where images come from and go to, and how hard
 * to push. Credentials are not here: they come from the environment or a credentials file
 * only.
 *
 * @param identityUrl Identity v2.0 endpoint (UK accounts:
 * {@code https://lon.identity.api.rackspacecloud.com/v2.0})
 * @param source region and export container of the source account
 * @param target region and import container of the target account: the one target of a
 * profile that has one (absent when {@code targets} is set)
 * @param targets several targets, each {@code {name, region, container, account}}: one
 * export per image in the source, then a transfer, import and finishing per target
 * ({@link #destinations()})
 * @param createContainers create the containers when absent (else they must exist)
 * @param tasksInFlightPerRegion cap on this run's export plus import tasks in flight per
 * region and account; lower for the run in a region that answers 413 (learned, see
 * {@link org.imageferry.await.TaskThrottle})
 * @param transferConcurrency images copied at the same time
 * @param apiConcurrency images whose Images API calls (pre-flight checks, task starts,
 * finishing) are made at the same time
 * @param segmentConcurrency segments of one image copied at the same time
 * @param pollInterval how often tasks are polled (one listing per region), and the least
 * time between the end of a region's listing and its next; Rackspace asks for at least 30
 * s
 * @param taskDeadline how long one task may take before its image fails
 * @param cleanup which exported objects to delete after a successful import
 * @param serviceNet move bytes over ServiceNet (the catalog's internalURL) instead of the
 * public URLs
 * @param sizeLimit images (and VHDs) above this are refused: Rackspace's import limit,
 * 160 GB since 2019 (40 GB before)
 * @param httpTimeout connect and answer timeout of one request
 * @param retries retries of a failed request (5xx, 413, dropped connections) before the
 * run fails
 * @param retryDelay first backoff between retries, doubling each time
 * @param consistencyWait how long to wait for Cloud Files listings to catch up with
 * writes
 * @param credentialsFile optional properties file with the API keys, readable by its
 * owner only
 * @param dataDir where the job repository and ledger (H2) live, unless
 * {@code spring.datasource.url} names another database
 * @param progressInterval how often a run without a terminal (cron, systemd) logs its
 * progress
 * @param caBundle optional PEM file of CA certificates that TLS connections trust instead
 * of the JDK's default trust store (a private CA, a TLS-inspecting proxy); certificates
 * are always verified
 * @param maxManifestLines the most image lines a manifest may list; a longer one is
 * refused before anything is recorded
 * @param setProperties properties set on every migrated image after those copied from the
 * source (e.g. the {@code vm_mode}, {@code img_config_drive} and {@code xenapi_use_agent}
 * Rackspace asks imported images to carry); a key Rackspace protects is a configuration
 * error
 * @param bandwidthLimit the most bytes a second all segment copies of the process stream
 * together: {@code 50MB/s}, {@code off}, or a timetable
 * ({@code "08:00,50MB/s 20:00,off"}, times in the window's zone, else the system's); see
 * {@link BandwidthLimit}
 * @param order which ready images start their export first: {@code largest-first} (the
 * largest {@code SOURCE_SIZE} first, ties in manifest order: task times grow with size,
 * so a mixed manifest ends sooner) or {@code manifest}; imports and transfers start first
 * come, first served
 * @param window the hours a nightly run may work ({@code start}, {@code end},
 * {@code zone}, {@code drain}); see {@link Window}
 * @param workers worker processes ({@code worker --job …}, on any host that reaches the
 * shared database) that copy the run's images instead of this process: the run's
 * {@code copy} step hands each a slot; 0 (the default): this process copies
 * @param lease how long a worker holds an image's copy without renewing it (it renews
 * every third of it): a dead worker's images wait this long before another takes them
 */
@ConfigurationProperties("image-ferry")
@Validated
public record FerryProperties(
		@DefaultValue("https://identity.api.rackspacecloud.com/v2.0") @NotNull(message = HTTP_URL) @Pattern(
				regexp = "https?://.+", message = HTTP_URL) String identityUrl,
		@DefaultValue @Valid Endpoint source, @DefaultValue @Valid Endpoint target, List<@Valid Target> targets,
		@DefaultValue("true") boolean createContainers,
		@DefaultValue("20") @Min(value = 1, message = AT_LEAST) int tasksInFlightPerRegion,
		@DefaultValue("2") @Min(value = 1, message = AT_LEAST) int transferConcurrency,
		@DefaultValue("4") @Min(value = 1, message = AT_LEAST) int apiConcurrency,
		@DefaultValue("2") @Min(value = 1, message = AT_LEAST) int segmentConcurrency,
		@DefaultValue("30s") Duration pollInterval, @DefaultValue("6h") Duration taskDeadline,
		@DefaultValue("BOTH") Cleanup cleanup, @DefaultValue("false") boolean serviceNet,
		@DefaultValue("160GB") DataSize sizeLimit, @DefaultValue("60s") Duration httpTimeout,
		@DefaultValue("5") int retries, @DefaultValue("1s") Duration retryDelay,
		@DefaultValue("2m") Duration consistencyWait, Path credentialsFile, @DefaultValue("./data") Path dataDir,
		@DefaultValue("60s") Duration progressInterval, @DefaultValue("./reports") Path reportsDir,
		@DefaultValue("./reports/image-ferry.prom") Path metricsTextfile, java.net.URI pushgatewayUrl, Path caBundle,
		@DefaultValue("100000") @Min(value = 1, message = AT_LEAST) int maxManifestLines,
		@SettableProperties Map<String, String> setProperties, @DefaultValue("off") BandwidthLimit bandwidthLimit,
		@DefaultValue("largest-first") @NotNull(message = ORDER) StartOrder order, @DefaultValue Window window,
		@DefaultValue("0") @Min(value = 0, message = AT_LEAST) int workers,
		@DefaultValue("2m") @DurationMin(seconds = 3, message = "must be at least 3s") Duration lease) {

	/*
	 * Messages follow the key they are about:
	 * "image-ferry.transfer-concurrency must be at least 1".
	 */

	static final String AT_LEAST = "must be at least {value}";

	static final String ORDER = "must be largest-first or manifest";

	static final String HTTP_URL = "must be an http(s) URL, not '${validatedValue}'";

	static final String NAME = "'${validatedValue}' is not a valid name: a letter or digit, then up to 39 "
			+ "letters, digits, '-' or '_'";

	static final String CONTAINER = "'${validatedValue}' is not a valid export container: "
			+ "1 to 256 characters, without '/', '?' or '.'";

	public FerryProperties {
		targets = (targets != null) ? List.copyOf(targets) : List.of();
		if (!targets.isEmpty() && target != null && target.region() == null) {
			// the default of an absent target: not a second target key
			target = null;
		}
		setProperties = (setProperties != null) ? Map.copyOf(setProperties) : Map.of();
		window = (window != null) ? window : Window.NONE;
		// the timetable's times are read where the window's are
		bandwidthLimit = ((bandwidthLimit != null) ? bandwidthLimit : BandwidthLimit.OFF).withZone(window.zone());
	}

	/**
	 * The run's targets, in the profile's order: {@code targets}, or the one
	 * {@code target} (named after its region, with the target's credentials) — never
	 * both.
	 * @throws ConfigurationException when both keys are set, or a name or region twice
	 */
	public List<Target> destinations() {
		if (!this.targets.isEmpty() && this.target != null) {
			throw new ConfigurationException("image-ferry.target and image-ferry.targets are both set: keep one "
					+ "(targets: a list of {name, region, container, account}; target: one region and container)");
		}
		List<Target> all = this.targets.isEmpty()
				? List.of(new Target(null, this.target.region(), this.target.container(), Target.TARGET_ACCOUNT))
				: this.targets;
		Set<String> names = new HashSet<>();
		for (int i = 0; i < all.size(); i++) {
			if (!names.add(all.get(i).name())) {
				throw new ConfigurationException("image-ferry.targets[" + i + "].name '" + all.get(i).name()
						+ "' names an earlier target too: each target needs a name of its own");
			}
		}
		return all;
	}

	/**
	 * One target of a run.
	 *
	 * @param name a short label, shown by status, the reports and the metrics (e.g.
	 * {@code iad}); the region in lower case when not set
	 * @param region e.g. IAD
	 * @param container Cloud Files container the export is copied into in that region
	 * @param account whose credentials: {@code RAX_<ACCOUNT>_USERNAME} and
	 * {@code _API_KEY} (or {@code <account>.username} in the credentials file), else the
	 * target's ({@code RAX_TARGET_*}), else {@code RAX_*}; the name when not set
	 */
	public record Target(@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,39}", message = NAME) String name,
			@NotBlank(message = "is not set (e.g. DFW, ORD, IAD, LON, SYD, HKG)") String region,
			@DefaultValue("image-ferry") @NotNull(message = CONTAINER) @Pattern(regexp = "(?=.*\\S)[^/?.]{1,256}",
					message = CONTAINER) String container,
			@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,39}", message = NAME) String account) {

		/** The credentials every profile's target falls back on. */
		static final String TARGET_ACCOUNT = "target";

		public Target {
			name = (name != null || region == null) ? name : region.toLowerCase(Locale.ROOT);
			account = (account != null) ? account : name;
			container = (container != null) ? container : "image-ferry";
		}

		/**
		 * The names its credentials are looked up under, in order: its account's, then
		 * the target's.
		 */
		public List<String> credentialNames() {
			return (this.account == null || this.account.equals(TARGET_ACCOUNT)) ? List.of(TARGET_ACCOUNT)
					: List.of(this.account, TARGET_ACCOUNT);
		}

	}

	/**
	 * @param region e.g. DFW
	 * @param container Cloud Files container for the exported objects; no {@code /},
	 * {@code ?} or {@code .}
	 */
	public record Endpoint(@NotBlank(message = "is not set (e.g. DFW, ORD, IAD, LON, SYD, HKG)") String region,
			@DefaultValue("image-ferry") @NotNull(message = CONTAINER) @Pattern(regexp = "(?=.*\\S)[^/?.]{1,256}",
					message = CONTAINER) String container) {
	}

}

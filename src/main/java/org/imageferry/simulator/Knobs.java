package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every setting of a simulated cloud by one name, the same in {@code scripts/simulate}'s
 * flags ({@code --task-posts-per-minute 30}), its YAML file ({@code --config}) and
 * {@code /_admin/knobs}. Start knobs shape the server (port, regions, sizes) and are set
 * only when it starts; live knobs ({@link Rules} and {@link Faults}) can also be changed
 * while it runs. A profile is a named set of knob values applied first:
 * {@code rackspace-strict} turns on what Rackspace documents or is suspected to do where
 * the default is friendlier.
 */
public final class Knobs {

	/** The profiles, each a YAML file of knob values beside this class. */
	public static final List<String> PROFILES = List.of("default", "rackspace-strict");

	private static final List<Knob> ALL = List.of(
			start("port", "loopback port; 0 picks a free one", (s, v) -> s.config.port(KnobValues.integer(v)),
					(c) -> c.config.port()),
			start("hosts", "loopback addresses listened on, each a host with its own link, e.g. 127.0.0.1,127.0.0.2",
					(s, v) -> s.config.hosts(SimulatorConfig.loopbackHosts(KnobValues.strings(v))),
					(c) -> c.config.hosts()),
			start("host-bandwidth", "each host's link per second, object bodies both ways (40MB); 0: no cap",
					(s, v) -> s.config.hostBandwidth(KnobValues.bytes(v)), (c) -> c.config.hostBandwidth()),
			start("regions", "regions served, e.g. DFW,ORD,IAD",
					(s, v) -> s.config.regions(List.copyOf(KnobValues.strings(v))), (c) -> c.config.regions()),
			start("segment-size", "segment size of exported objects (Rackspace: 1048576000)",
					(s, v) -> s.config.segmentSize(KnobValues.bytes(v)), (c) -> c.config.segmentSize()),
			start("max-object-size", "largest single object PUT (Cloud Files: 5GiB)",
					(s, v) -> s.config.maxObjectSize(KnobValues.bytes(v)), (c) -> c.config.maxObjectSize()),
			start("keep-bytes-up-to", "uploads up to this size are kept whole; larger ones as a digest",
					(s, v) -> s.config.keepBytesUpTo(KnobValues.bytes(v)), (c) -> c.config.keepBytesUpTo()),
			start("token-ttl", "token lifetime (Rackspace: about 24h)",
					(s, v) -> s.config.tokenTtl(KnobValues.duration(v)), (c) -> KnobValues.text(c.config.tokenTtl())),
			start("task-expiry", "how long a finished task can be read (Rackspace: about 48h)",
					(s, v) -> s.config.taskExpiry(KnobValues.duration(v)),
					(c) -> KnobValues.text(c.config.taskExpiry())),
			start("data-dir", "where uploaded objects are kept (default: a temporary directory)",
					(s, v) -> s.config.dataDir(Path.of(KnobValues.string(v))),
					(c) -> (c.config.dataDir() != null) ? c.config.dataDir().toString() : null),
			live("task-latency", "fixed part of export and import tasks' time (sets both)", (s, v) -> {
				Duration latency = KnobValues.duration(v);
				s.rules.taskLatency(latency, latency);
			}, (c) -> null),
			live("export-latency", "fixed part of an export task's time",
					(s, v) -> s.rules.exportLatency(KnobValues.duration(v)),
					(c) -> KnobValues.text(c.rules.exportLatency())),
			live("import-latency", "fixed part of an import task's time",
					(s, v) -> s.rules.importLatency(KnobValues.duration(v)),
					(c) -> KnobValues.text(c.rules.importLatency())),
			live("export-mb-per-second", "an export also takes the image's size at this rate; 0: size-independent",
					(s, v) -> s.rules.exportMbPerSecond(KnobValues.decimal(v)), (c) -> c.rules.exportMbPerSecond()),
			live("import-mb-per-second", "an import also takes the object's size at this rate; 0: size-independent",
					(s, v) -> s.rules.importMbPerSecond(KnobValues.decimal(v)), (c) -> c.rules.importMbPerSecond()),
			live("import-size-limit", "largest VHD an import accepts (Rackspace: 160GB)",
					(s, v) -> s.rules.importSizeLimit(KnobValues.bytes(v)), (c) -> c.rules.importSizeLimit()),
			live("protected-properties", "refuse (403) a PATCH of a property Rackspace protects",
					(s, v) -> s.rules.protectedProperties(KnobValues.bool(v)), (c) -> c.rules.protectedProperties()),
			live("refused-task-type-filters", "task types a GET /v2/tasks?type= listing refuses with 400",
					(s, v) -> s.rules.refusedTaskTypeFilters(new LinkedHashSet<>(KnobValues.strings(v))),
					(c) -> c.rules.refusedTaskTypeFilters().stream().sorted().toList()),
			live("bulk-delete", "offer Cloud Files bulk delete (listed in /info); without it: 405",
					(s, v) -> s.rules.bulkDelete(KnobValues.bool(v)), (c) -> c.rules.bulkDelete()),
			live("task-posts-per-minute", "task POSTs per tenant and region in a minute before 413; 0: no limit",
					(s, v) -> s.rules.taskPostsPerMinute(KnobValues.integer(v)), (c) -> c.rules.taskPostsPerMinute()),
			live("container-writes-per-second", "object writes per container in a second before 429; 0: no limit",
					(s, v) -> s.rules.containerWritesPerSecond(KnobValues.integer(v)),
					(c) -> c.rules.containerWritesPerSecond()),
			live("tasks-in-flight-cap", "pending or processing tasks per tenant and region before 413; 0: no cap",
					(s, v) -> s.faults.tasksInFlightCap(KnobValues.integer(v)), (c) -> c.faults.tasksInFlightCap()),
			live("listing-lag", "how long a new object stays out of container listings",
					(s, v) -> s.faults.listingLag(KnobValues.duration(v)),
					(c) -> KnobValues.text(c.faults.listingLag())),
			live("retry-after", "Retry-After of injected 503s and the in-flight cap's 413",
					(s, v) -> s.faults.retryAfter(KnobValues.duration(v)),
					(c) -> KnobValues.text(c.faults.retryAfter())),
			live("seed", "seed of the fault draws", (s, v) -> s.faults.seed(KnobValues.integer(v)),
					(c) -> c.faults.seed()),
			live("service-unavailable-rate", "share of requests answered 503",
					(s, v) -> s.faults.serviceUnavailableRate(KnobValues.rate(v)),
					(c) -> c.faults.serviceUnavailableRate()),
			live("server-error-rate", "share of requests answered 500",
					(s, v) -> s.faults.serverErrorRate(KnobValues.rate(v)), (c) -> c.faults.serverErrorRate()),
			live("drop-rate", "share of requests whose connection is cut",
					(s, v) -> s.faults.dropRate(KnobValues.rate(v)), (c) -> c.faults.dropRate()),
			live("forced-import-failures", "image id -> import failure code (111, 396, 413, 523, 609, 614, 721)",
					(s, v) -> s.faults.forcedImportFailures(KnobValues.map(v, KnobValues::integer)),
					(c) -> c.faults.forcedImportFailures()),
			live("forced-export-failures", "image id -> export failure message",
					(s, v) -> s.faults.forcedExportFailures(KnobValues.map(v, KnobValues::string)),
					(c) -> c.faults.forcedExportFailures()));

	private Knobs() {
	}

	/** What a knob sets: the three builders a simulated cloud is made from. */
	public static final class Settings {

		final SimulatorConfig.Builder config;

		final Rules.Builder rules;

		final Faults.Builder faults;

		public Settings(SimulatorConfig.Builder config) {
			this.config = config;
			this.rules = config.rules().toBuilder();
			this.faults = config.faults().toBuilder();
		}

		private Settings(Rules rules, Faults faults) {
			this.config = null;
			this.rules = rules.toBuilder();
			this.faults = faults.toBuilder();
		}

		/** The configuration with every knob set so far. */
		public SimulatorConfig.Builder build() {
			return this.config.rules(this.rules.build()).faults(this.faults.build());
		}

	}

	private record Current(SimulatorConfig config, Rules rules, Faults faults) {
	}

	private record Knob(String name, boolean live, String help, BiConsumer<Settings, JsonNode> set,
			Function<Current, Object> get) {
	}

	private static Knob start(String name, String help, BiConsumer<Settings, JsonNode> set,
			Function<Current, Object> get) {
		return new Knob(name, false, help, set, get);
	}

	private static Knob live(String name, String help, BiConsumer<Settings, JsonNode> set,
			Function<Current, Object> get) {
		return new Knob(name, true, help, set, get);
	}

	/**
	 * Whether {@code name} is a knob (a {@code scripts/simulate} flag without its
	 * dashes).
	 */
	public static boolean isKnob(String name) {
		return find(name) != null;
	}

	/**
	 * Sets one knob from text, as a flag gives it ({@code 2s}, {@code 160GB},
	 * {@code DFW,IAD}, {@code id=609,id2=111}).
	 * @throws IllegalArgumentException naming the knob when the name or value is wrong
	 */
	public static void set(Settings settings, String name, String value) {
		apply(settings, name, Exchange.JSON.getNodeFactory().textNode(value), true);
	}

	/**
	 * Applies a profile's knobs, e.g. {@code rackspace-strict}.
	 * @throws IllegalArgumentException for an unknown profile
	 */
	public static void profile(Settings settings, String name) {
		if (!PROFILES.contains(name)) {
			throw new IllegalArgumentException("unknown profile '" + name + "' (one of " + PROFILES + ")");
		}
		try (InputStream in = Knobs.class.getResourceAsStream("profiles/" + name + ".yml")) {
			applyAll(settings, readYaml(in, "profile " + name), true, "profile " + name);
		}
		catch (IOException ex) {
			throw new IllegalStateException("profile " + name + " could not be read", ex);
		}
	}

	/**
	 * Applies a YAML file of knobs; a {@code profile} key is applied before the others.
	 * @throws IllegalArgumentException naming the file and the knob when something is
	 * wrong
	 */
	public static void file(Settings settings, Path file) {
		try (InputStream in = java.nio.file.Files.newInputStream(file)) {
			applyAll(settings, readYaml(in, file.toString()), true, file.toString());
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": cannot be read (" + ex.getMessage() + ")");
		}
	}

	/** Every knob's current value, for {@code GET /_admin/knobs}. */
	static ObjectNode describe(SimulatorConfig config, Rules rules, Faults faults) {
		Current current = new Current(config, rules, faults);
		ObjectNode values = Exchange.JSON.createObjectNode();
		for (Knob knob : ALL) {
			Object value = knob.get.apply(current);
			if (value != null) {
				values.set(knob.name, Exchange.JSON.valueToTree(value));
			}
		}
		return values;
	}

	/**
	 * Changes live knobs of a running cloud ({@code PATCH /_admin/knobs}); a
	 * {@code profile} key first resets the live knobs to the defaults, then applies the
	 * profile. Nothing changes when one knob is wrong.
	 */
	static void change(SimulatedCloud cloud, JsonNode body) {
		if (!body.isObject()) {
			throw ApiError.fault(400, "badRequest", "expected a JSON object of knob names and values");
		}
		boolean reset = body.has("profile");
		Settings settings = new Settings(reset ? Rules.defaults() : cloud.rules(),
				reset ? Faults.none() : cloud.faults());
		try {
			applyAll(settings, body, false, "knobs");
		}
		catch (IllegalArgumentException ex) {
			throw ApiError.fault(400, "badRequest", ex.getMessage());
		}
		cloud.rules(settings.rules.build());
		cloud.faults(settings.faults.build());
	}

	/** One line per knob, for {@code scripts/simulate --help}. */
	public static String help() {
		StringBuilder help = new StringBuilder();
		for (Knob knob : ALL) {
			help.append(String.format(Locale.ROOT, "  --%-28s %s%s%n", knob.name, knob.help,
					knob.live ? "" : " (start only)"));
		}
		return help.toString();
	}

	private static void applyAll(Settings settings, JsonNode values, boolean starting, String source) {
		if (values == null || values.isNull() || values.isMissingNode()) {
			return;
		}
		if (!values.isObject()) {
			throw new IllegalArgumentException(source + ": expected a map of knob names and values");
		}
		if (values.has("profile")) {
			profile(settings, KnobValues.string(values.get("profile")));
		}
		values.fields().forEachRemaining((e) -> {
			if (!e.getKey().equals("profile")) {
				apply(settings, e.getKey(), e.getValue(), starting);
			}
		});
	}

	private static void apply(Settings settings, String name, JsonNode value, boolean starting) {
		Knob knob = find(name);
		if (knob == null) {
			throw new IllegalArgumentException("unknown knob '" + name + "'");
		}
		if (!knob.live && !starting) {
			throw new IllegalArgumentException("knob '" + name + "' can only be set when the simulator starts");
		}
		try {
			knob.set.accept(settings, value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("knob '" + name + "': " + ex.getMessage());
		}
	}

	private static Knob find(String name) {
		return ALL.stream().filter((k) -> k.name.equals(name)).findFirst().orElse(null);
	}

	private static JsonNode readYaml(InputStream in, String source) {
		try {
			Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			return Exchange.JSON.valueToTree(document);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					source + ": not valid YAML (" + ex.getMessage().lines().findFirst().orElse("") + ")");
		}
	}

}

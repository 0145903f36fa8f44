package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A simulated Rackspace public cloud on loopback: Identity v2.0, Cloud Images v2 (images
 * and tasks) and Cloud Files (Swift) for every configured region, behind one HTTP port on
 * each of its loopback hosts ({@link SimulatorConfig#hosts()}, each with its own link).
 * Endpoints, by path:
 * <ul>
 * <li>{@code /v2.0/tokens} — identity</li>
 * <li>{@code /images/<REGION>/v2/...} — the catalog's {@code cloudImages} publicURL</li>
 * <li>{@code /files/<REGION>/v1/MossoCloudFS_<tenant>/...} — {@code cloudFiles}
 * publicURL</li>
 * <li>{@code /snet/<REGION>/v1/MossoCloudFS_<tenant>/...} — its internalURL (ServiceNet),
 * same data</li>
 * <li>{@code /_admin/...} — inspection and seeding, for tests and operators trying things
 * out</li>
 * </ul>
 * Only the demo wiring and the tests use this class; the product knows nothing of it.
 */
public final class SimulatedCloud implements AutoCloseable {

	private final SimulatorConfig config;

	private final LoopbackServer server;

	private final Path dataDir;

	private final boolean ownDataDir;

	private volatile Faults faults;

	private volatile Rules rules;

	private final FaultDice dice;

	private final Identity identity;

	private final ObjectStore store;

	private final CloudFiles files;

	private final Images images = new Images(this::rules);

	private final TaskEngine engine;

	private final Tasks tasks;

	private final RequestLog requests = new RequestLog();

	private final Admin admin;

	private SimulatedCloud(SimulatorConfig config) throws IOException {
		this.config = config;
		this.faults = config.faults();
		this.rules = config.rules();
		this.ownDataDir = config.dataDir() == null;
		this.dataDir = this.ownDataDir ? Files.createTempDirectory("image-ferry-sim-")
				: Files.createDirectories(config.dataDir());
		this.server = new LoopbackServer(config.hosts(), config.port(), new HostLinks(config.hostBandwidth()),
				this::handle);
		String baseUrl = baseUrl();
		this.dice = new FaultDice(this::faults);
		this.identity = new Identity(config, baseUrl);
		this.store = new ObjectStore(this::faults, config.clock());
		this.files = new CloudFiles(config, this.identity, this.store, this.dataDir, this.dice, this::rules);
		this.engine = new TaskEngine(config, this.images, this.store, this::faults, this::rules);
		this.tasks = new Tasks(this.engine, this::faults, this::rules);
		this.admin = new Admin(this);
		this.server.start();
	}

	public static SimulatedCloud start(SimulatorConfig config) throws IOException {
		return new SimulatedCloud(config);
	}

	public SimulatorConfig config() {
		return this.config;
	}

	/** The first host's base URL, like {@code http://127.0.0.1:8777}. */
	public String baseUrl() {
		return baseUrl(this.config.hosts().get(0));
	}

	/**
	 * One host's base URL: a client that reaches the simulator there is on that host, its
	 * catalog naming it too, and shares that host's link.
	 * @throws IllegalArgumentException for an address the simulator does not listen on
	 */
	public String baseUrl(String host) {
		if (!this.config.hosts().contains(host)) {
			throw new IllegalArgumentException("not a simulated host: " + host + " (" + this.config.hosts() + ")");
		}
		return "http://" + host + ":" + this.server.port();
	}

	/**
	 * The identity endpoint a client authenticates against, like
	 * {@code https://identity.api.rackspacecloud.com/v2.0}.
	 */
	public String identityUrl() {
		return baseUrl() + "/v2.0";
	}

	/**
	 * The identity endpoint on one host: a worker given it is on that host, all its
	 * traffic going there.
	 */
	public String identityUrl(String host) {
		return baseUrl(host) + "/v2.0";
	}

	public String adminUrl() {
		return baseUrl() + "/_admin";
	}

	/** The catalog's {@code cloudImages} publicURL for a region. */
	public String imagesUrl(String region) {
		return this.identity.imagesUrl(region);
	}

	/**
	 * The catalog's {@code cloudFiles} publicURL (or internalURL) of an account in a
	 * region.
	 */
	public String filesUrl(String region, String tenantId, boolean serviceNet) {
		return this.identity.filesUrl(region, account(tenantId), serviceNet);
	}

	public Faults faults() {
		return this.faults;
	}

	/**
	 * Changes the injected faults from now on, for example to break a region in the
	 * middle of a run.
	 */
	public void faults(Faults faults) {
		this.faults = faults;
	}

	public Rules rules() {
		return this.rules;
	}

	/**
	 * Changes the rules from now on; a task already running keeps the time it was given.
	 */
	public void rules(Rules rules) {
		this.rules = rules;
	}

	public Inspection inspect() {
		return new Inspection(this.tasks, this.images, this.store, this.requests, this.identity);
	}

	/** Places an image in a region, as if the account had created it; returns its id. */
	public String addImage(ImageSeed seed) {
		requireRegion(seed.region());
		account(seed.tenantId());
		SimImage image = new SimImage((seed.id() != null) ? seed.id() : UUID.randomUUID().toString(), seed.region(),
				seed.tenantId(), seed.name(), seed.content(),
				ObjectStore.md5Hex(seed.region() + seed.name() + seed.content().length()), this.config.clock());
		image.status = seed.status();
		image.visibility = seed.visibility();
		image.minDisk = seed.minDisk();
		image.minRam = seed.minRam();
		image.tags.addAll(seed.tags());
		image.properties.putAll(RackspaceProperties.snapshot(image.id, seed.tenantId()));
		image.properties.putAll(seed.properties());
		this.images.add(image);
		return image.id;
	}

	/** Creates a Cloud Files container, as an operator would have done beforehand. */
	public void createContainer(String region, String tenantId, String container) {
		requireRegion(region);
		this.store.createContainer(region, account(tenantId).storageAccount(), container);
	}

	Account account(String tenantId) {
		return this.identity.account(tenantId)
			.orElseThrow(() -> new IllegalArgumentException("no account with tenant " + tenantId));
	}

	private void requireRegion(String region) {
		if (!this.config.regions().contains(region)) {
			throw new IllegalArgumentException("region " + region + " is not simulated: " + this.config.regions());
		}
	}

	private void handle(Exchange ex) {
		Instant arrived = this.config.clock().instant();
		List<String> path = ex.segments();
		String service = path.get(0);
		String region = (path.size() > 1 && !service.equals("v2.0") && !service.equals("_admin")) ? path.get(1) : "";
		try {
			route(ex, service, region);
		}
		catch (ApiError error) {
			answer(ex, error);
		}
		catch (IOException ex2) {
			ex.drop();
		}
		catch (RuntimeException unexpected) {
			answer(ex, new ApiError(500, "Internal Server Error: " + unexpected));
		}
		finally {
			String kind = service.equals("images") && path.size() > 3 ? path.get(3) : service;
			this.requests.add(new Inspection.RequestView(kind, region, ex.method(), ex.path(), ex.status(),
					ex.rawQuery(), arrived));
		}
	}

	private void route(Exchange ex, String service, String region) throws IOException {
		if (service.equals("_admin")) {
			this.admin.handle(ex);
			return;
		}
		if (!service.equals("v2.0") && !this.config.regions().contains(region)) {
			throw new ApiError(404, "Not Found");
		}
		ApiError injected = this.dice.failure();
		if (injected != null && (service.equals("files") || service.equals("snet"))) {
			// Cloud Files answers in Swift's style, an injected error too
			SwiftErrors.answer(ex, injected);
			return;
		}
		if (injected != null) {
			throw injected;
		}
		switch (service) {
			case "v2.0" -> this.identity.handle(ex);
			case "files", "snet" -> this.files.handle(ex, region);
			case "images" -> images(ex, region);
			default -> throw new ApiError(404, "Not Found");
		}
	}

	private void images(Exchange ex, String region) throws IOException {
		List<String> path = ex.segments();
		if (path.size() < 4 || !path.get(2).equals("v2")) {
			throw new ApiError(404, "Not Found");
		}
		Identity.Token token = this.identity.require(ex);
		List<String> rest = path.subList(3, path.size());
		switch (rest.get(0)) {
			case "images" -> this.images.handle(ex, region, token, rest);
			case "tasks" -> this.tasks.handle(ex, region, token, rest);
			case "schemas" -> schema(ex, rest);
			default -> throw new ApiError(404, "Not Found");
		}
	}

	private void schema(Exchange ex, List<String> rest) throws IOException {
		String name = (rest.size() == 2) ? rest.get(1) : "";
		try (InputStream in = (name.matches("[a-z]+")) ? getClass().getResourceAsStream("schema-" + name + ".json")
				: null) {
			if (in == null) {
				throw new ApiError(404, "Not Found");
			}
			ex.sendJson(200, Exchange.JSON.readTree(in));
		}
	}

	private static void answer(Exchange ex, ApiError error) {
		if (ex.answered()) {
			return;
		}
		try {
			if (error.retryAfter() != null) {
				ex.setHeader("Retry-After", error.retryAfter());
			}
			if (error.fault() != null) {
				ObjectNode body = Exchange.JSON.createObjectNode();
				ObjectNode fault = body.putObject(error.fault())
					.put("code", error.status())
					.put("message", error.getMessage());
				if (error.retryAfter() != null) {
					fault.put("retryAfter", error.retryAfter());
				}
				ex.sendJson(error.status(), body);
				return;
			}
			ex.sendText(error.status(), error.status() + " " + reason(error.status()) + "\n\n" + error.getMessage());
		}
		catch (IOException ignored) {
			ex.drop();
		}
	}

	private static String reason(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 409 -> "Conflict";
			case 412 -> "Precondition Failed";
			case 413 -> "Request Entity Too Large";
			case 415 -> "Unsupported Media Type";
			case 416 -> "Requested Range Not Satisfiable";
			case 422 -> "Unprocessable Entity";
			case 503 -> "Service Unavailable";
			default -> "Internal Server Error";
		};
	}

	@Override
	public void close() {
		this.server.close();
		this.engine.close();
		if (this.ownDataDir) {
			try (Stream<Path> files = Files.walk(this.dataDir)) {
				files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
			catch (IOException | UncheckedIOException ignored) {
				// a temporary directory left behind is harmless (a file can vanish while
				// it
				// is walked: an aborted upload's temporary file)
			}
		}
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cloud Images v2's task calls: {@code POST /v2/tasks} (export and import, checked as the
 * seed pages say), {@code GET /v2/tasks} (sparse entries; {@code type} and {@code status}
 * filters; {@code sort_key}, {@code sort_dir}; limit and marker, at most 100 a page) and
 * {@code GET /v2/tasks/{id}}. A tenant sees only its own tasks in that region.
 * <p>
 * Two limits answer {@code POST} with 413 {@code overLimit} and create no task: the
 * number of tasks in flight ({@link Faults#tasksInFlightCap()}) and, like the rate
 * limiter in front of Rackspace's APIs, the POSTs in a sliding minute
 * ({@link Rules#taskPostsPerMinute()}); both per tenant and region.
 * <p>
 * Each tenant's tasks in a region are kept in the listing's default order, so a listing
 * walks from one end and builds entries only for its page, and the 413 cap reads a
 * counter: both cost the same with 20 tasks or 20,000.
 */
final class Tasks {

	private static final Set<String> SORT_KEYS = Set.of("created_at", "updated_at", "id", "status", "type");

	private static final List<String> TYPES = List.of("export", "import");

	private static final List<String> STATUSES = List.of("pending", "processing", "success", "failure");

	private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

	/**
	 * The default listing order, ascending: {@code created_at} as the API shows it (to
	 * the second), then id.
	 */
	static final Comparator<SimTask> CREATED = Comparator.comparingLong((SimTask t) -> t.createdAt.getEpochSecond())
		.thenComparing((SimTask t) -> t.id);

	private final Map<String, SimTask> byId = new ConcurrentHashMap<>();

	/** By {@code region/tenant}. */
	private final Map<String, TenantTasks> byTenant = new ConcurrentHashMap<>();

	private final TaskEngine engine;

	private final Supplier<Faults> faults;

	private final Supplier<Rules> rules;

	Tasks(TaskEngine engine, Supplier<Faults> faults, Supplier<Rules> rules) {
		this.rules = rules;
		this.engine = engine;
		this.faults = faults;
	}

	List<SimTask> all() {
		return this.byId.values().stream().sorted(Comparator.comparing((SimTask t) -> t.createdAt)).toList();
	}

	Optional<SimTask> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	private TenantTasks of(String region, String tenant) {
		return this.byTenant.computeIfAbsent(region + "/" + tenant, (k) -> new TenantTasks());
	}

	void handle(Exchange ex, String region, Identity.Token token, List<String> rest) throws IOException {
		String tenant = token.account().tenantId();
		if (rest.size() == 1) {
			switch (ex.method()) {
				case "POST" -> create(ex, region, token);
				case "GET" -> list(ex, region, tenant);
				default -> throw new ApiError(405, "Method Not Allowed");
			}
			return;
		}
		if (rest.size() != 2) {
			throw new ApiError(404, "Not Found");
		}
		if (!ex.method().equals("GET")) {
			throw new ApiError(405, "Method Not Allowed");
		}
		SimTask task = this.byId.get(rest.get(1));
		if (task == null || !task.owner.equals(tenant) || !task.region.equals(region)
				|| task.expired(this.engine.clock().instant())) {
			throw new ApiError(404, "Task with the given id " + rest.get(1) + " not found");
		}
		ex.sendJson(200, task.toJson());
	}

	private void create(Exchange ex, String region, Identity.Token token) throws IOException {
		admit(of(region, token.account().tenantId()));
		if (!"application/json".equals(ex.mediaType())) {
			throw new ApiError(415, "Unsupported Content-Type: use application/json");
		}
		JsonNode body = ex.readJson();
		if (!body.isObject()) {
			throw new ApiError(400, "The request body must be a JSON object");
		}
		String type = body.path("type").asText(null);
		JsonNode input = body.get("input");
		if (type == null) {
			throw new ApiError(400, "Task type is required");
		}
		if (!type.equals("export") && !type.equals("import")) {
			throw new ApiError(400, "Invalid type value: " + type + ". It must be one of: export, import");
		}
		if (input == null || !input.isObject()) {
			throw new ApiError(400, "Input to the task is required and must be a JSON object");
		}
		if (type.equals("export")) {
			requireText(input, "image_uuid");
			requireText(input, "receiving_swift_container");
		}
		else {
			requireText(input, "import_from");
			JsonNode properties = input.get("image_properties");
			if (properties == null || !properties.isObject() || !properties.path("name").isTextual()) {
				throw new ApiError(400, "Input 'image_properties' with a 'name' is required");
			}
			properties.fieldNames().forEachRemaining((field) -> {
				if (!field.equals("name")) {
					throw new ApiError(400, "Invalid image property '" + field + "': name is the only property "
							+ "that can be included in image_properties");
				}
			});
		}
		String tenant = token.account().tenantId();
		TenantTasks owned = of(region, tenant);
		SimTask task;
		synchronized (owned) {
			int cap = this.faults.get().tasksInFlightCap();
			int inFlight = owned.inFlight.get();
			if (cap > 0 && inFlight >= cap) {
				throw ApiError.overLimit("Over Limit: " + inFlight + " tasks in progress; the limit is " + cap,
						Long.toString(this.faults.get().retryAfter().toSeconds()));
			}
			owned.inFlight.incrementAndGet();
			task = new SimTask(UUID.randomUUID().toString(), type, region, tenant, input.deepCopy(),
					this.engine.clock(), owned.inFlight::decrementAndGet);
			this.byId.put(task.id, task);
			owned.listed.add(task);
		}
		// the answer shows the task as created (pending), even when the engine is quicker
		// than this thread
		ObjectNode created = task.toJson();
		this.engine.start(task, token.account());
		ex.setHeader("Location", "/v2/tasks/" + task.id);
		ex.sendJson(201, created);
	}

	/**
	 * Counts the POST against the tenant's sliding minute, before anything else is looked
	 * at (a rate limiter sits in front of the API), or refuses it with the seconds until
	 * the oldest POST in the window leaves it.
	 */
	private void admit(TenantTasks owned) {
		int limit = this.rules.get().taskPostsPerMinute();
		if (limit <= 0) {
			return;
		}
		Duration wait;
		synchronized (owned) {
			wait = owned.posts.admit(this.engine.clock().instant(), limit);
		}
		if (!wait.isZero()) {
			long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
			throw ApiError.overLimit(
					"Over Limit: at most " + limit + " task creations a minute; retry in " + seconds + " seconds",
					Long.toString(seconds));
		}
	}

	private static void requireText(JsonNode input, String field) {
		if (!input.path(field).isTextual() || input.path(field).asText().isEmpty()) {
			throw new ApiError(400, "Input '" + field + "' is required");
		}
	}

	private void list(Exchange ex, String region, String tenant) throws IOException {
		int limit = Paging.limit(ex, 25, 100);
		String sortKey = ex.query().getOrDefault("sort_key", "created_at");
		String sortDir = ex.query().getOrDefault("sort_dir", "desc");
		if (!SORT_KEYS.contains(sortKey)) {
			throw new ApiError(400, "Invalid sort_key: " + sortKey);
		}
		if (!sortDir.equals("asc") && !sortDir.equals("desc")) {
			throw new ApiError(400, "Invalid sort_dir: " + sortDir + ". It must be asc or desc");
		}
		String type = filter(ex, "type", TYPES);
		String status = filter(ex, "status", STATUSES);
		Instant now = this.engine.clock().instant();
		String marker = ex.query("marker");
		TenantTasks owned = of(region, tenant);
		Paging.Page<ObjectNode> page = sortKey.equals("created_at") ? owned.page(sortDir.equals("desc"), type, status,
				now, marker, markerTask(marker, region, tenant), limit)
				: owned.sortedPage(sortKey, sortDir.equals("desc"), type, status, now, marker, limit);
		ObjectNode body = Exchange.JSON.createObjectNode();
		ArrayNode tasks = body.putArray("tasks");
		page.items().forEach(tasks::add);
		body.put("first", "/v2/tasks" + Paging.query(ex, null));
		if (page.next() != null) {
			body.put("next", "/v2/tasks" + Paging.query(ex, page.next()));
		}
		body.put("schema", "/v2/schemas/tasks");
		ex.sendJson(200, body);
	}

	/**
	 * A {@code type} or {@code status} filter, validated as upstream Glance does (400
	 * {@code Invalid type value: x}); empty means none. A type in
	 * {@link Rules#refusedTaskTypeFilters()} is refused the same way although such tasks
	 * exist: Glance itself knows only {@code import}.
	 */
	private String filter(Exchange ex, String name, List<String> values) {
		String value = ex.query(name);
		if (value == null || value.isEmpty()) {
			return null;
		}
		if (!values.contains(value)
				|| (name.equals("type") && this.rules.get().refusedTaskTypeFilters().contains(value))) {
			throw new ApiError(400, "Invalid " + name + " value: " + value);
		}
		return value;
	}

	/**
	 * The marker's task if it is one of the tenant's in the region, else null (whether
	 * the listing shows it is checked with the filters).
	 */
	private SimTask markerTask(String marker, String region, String tenant) {
		SimTask task = (marker != null) ? this.byId.get(marker) : null;
		return (task != null && task.owner.equals(tenant) && task.region.equals(region)) ? task : null;
	}

	/**
	 * One tenant's tasks in one region, in {@link #CREATED} order, and how many are in
	 * flight. Expired tasks leave the set when a listing passes them: they never come
	 * back.
	 */
	private static final class TenantTasks {

		final NavigableSet<SimTask> listed = new ConcurrentSkipListSet<>(CREATED);

		final AtomicInteger inFlight = new AtomicInteger();

		/** The POSTs of the last minute, for the rate limit; changed under this lock. */
		final SlidingWindow posts = new SlidingWindow(RATE_WINDOW);

		/**
		 * A page in the default order, walked from one end: entries are built only for
		 * the tasks that pass the filters, until the page is full.
		 * @param marker the request's marker, or null
		 * @param from the marker's task if it is one of these, else null
		 */
		Paging.Page<ObjectNode> page(boolean descending, String type, String status, Instant now, String marker,
				SimTask from, int limit) {
			NavigableSet<SimTask> walk = descending ? this.listed.descendingSet() : this.listed;
			if (marker != null) {
				if (from == null || from.expired(now) || (type != null && !from.type.equals(type))
						|| from.sparseIf(status) == null) {
					throw new ApiError(400, "marker not found: " + marker);
				}
				walk = walk.tailSet(from, false);
			}
			List<ObjectNode> items = new ArrayList<>();
			String last = null;
			for (SimTask task : walk) {
				if (items.size() >= limit) {
					break;
				}
				if (task.expired(now)) {
					this.listed.remove(task);
					continue;
				}
				if (type != null && !task.type.equals(type)) {
					continue;
				}
				ObjectNode entry = task.sparseIf(status);
				if (entry != null) {
					items.add(entry);
					last = task.id;
				}
			}
			return new Paging.Page<>(items, (limit > 0 && items.size() == limit) ? last : null);
		}

		/**
		 * A page in another order ({@code updated_at}, {@code id}, {@code status},
		 * {@code type}): every visible entry is built and sorted, then paged.
		 */
		Paging.Page<ObjectNode> sortedPage(String sortKey, boolean descending, String type, String status, Instant now,
				String marker, int limit) {
			Comparator<ObjectNode> order = Comparator.comparing((ObjectNode t) -> t.path(sortKey).asText())
				.thenComparing((t) -> t.path("id").asText());
			List<ObjectNode> visible = this.listed.stream()
				.filter((t) -> !t.expired(now))
				.map(SimTask::sparse)
				.filter((t) -> type == null || t.path("type").asText().equals(type))
				.filter((t) -> status == null || t.path("status").asText().equals(status))
				.sorted(descending ? order.reversed() : order)
				.toList();
			return Paging.page(visible, (t) -> t.get("id").asText(), marker, limit);
		}

	}

}

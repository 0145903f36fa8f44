package org.imageferry.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.imageferry.simulator.content.Concat;
import org.imageferry.simulator.content.Content;

/**
 * Cloud Files' data: per region and storage account, containers of objects kept in
 * Swift's name order ({@link Listing#ORDER}: by UTF-8 bytes). Large objects are resolved
 * here so the HTTP layer and the task engine read them the same way. A listing starts at
 * its marker or prefix and stops when its page is full, and a container keeps its object
 * count and bytes, so neither costs more in a container of 50,000 objects than in one of
 * 5.
 */
final class ObjectStore {

	/** An object's bytes as a GET streams them, large objects concatenated. */
	record Resolved(StoredObject object, Content content, String etag) {
	}

	static final int MAX_CONTAINER_NAME_LENGTH = 256;

	static final int MAX_OBJECT_NAME_LENGTH = 1024;

	/** What a container's or account's HEAD reports. */
	record Usage(long objects, long bytes) {
	}

	private final Map<String, NavigableMap<String, Container>> accounts = new ConcurrentHashMap<>();

	private final Supplier<Faults> faults;

	private final Clock clock;

	/**
	 * {@code region/account/container/object} of the PUTs whose body is being received.
	 */
	private final Set<String> receiving = ConcurrentHashMap.newKeySet();

	/** What {@link #delete} removed, for inspection. */
	private final List<String> deleted = new ArrayList<>();

	/** The cloud's clock, for object timestamps. */
	Clock clock() {
		return this.clock;
	}

	ObjectStore(Supplier<Faults> faults, Clock clock) {
		this.faults = faults;
		this.clock = clock;
	}

	private NavigableMap<String, Container> account(String region, String account) {
		return this.accounts.computeIfAbsent(region + "/" + account, (k) -> new TreeMap<>(Listing.ORDER));
	}

	/** Notes that an object's body is being received, until {@link #received}. */
	void receiving(String region, String account, String container, String name) {
		this.receiving.add(region + "/" + account + "/" + container + "/" + name);
	}

	void received(String region, String account, String container, String name) {
		this.receiving.remove(region + "/" + account + "/" + container + "/" + name);
	}

	/** The objects whose body is being received right now. */
	Set<String> receiving() {
		return Set.copyOf(this.receiving);
	}

	synchronized boolean createContainer(String region, String account, String container) {
		return account(region, account).putIfAbsent(container, new Container()) == null;
	}

	synchronized boolean hasContainer(String region, String account, String container) {
		return account(region, account).containsKey(container);
	}

	/**
	 * @return false when the container does not exist; throws 409 when it is not empty
	 */
	synchronized boolean deleteContainer(String region, String account, String container) {
		Container objects = account(region, account).get(container);
		if (objects == null) {
			return false;
		}
		if (!objects.byName.isEmpty()) {
			throw new ApiError(409, "There was a conflict when trying to complete your request.");
		}
		account(region, account).remove(container);
		return true;
	}

	synchronized void put(String region, String account, String container, StoredObject object) {
		Container objects = account(region, account).get(container);
		if (objects == null) {
			throw new ApiError(404, "Not Found");
		}
		objects.put(object);
	}

	synchronized Optional<StoredObject> get(String region, String account, String container, String name) {
		Container objects = account(region, account).get(container);
		return Optional.ofNullable((objects != null) ? objects.byName.get(name) : null);
	}

	/**
	 * Replaces an object by what {@code change} makes of it, in one step: a write in
	 * between cannot be lost.
	 * @return the object as changed, or empty when there is none
	 */
	synchronized Optional<StoredObject> update(String region, String account, String container, String name,
			UnaryOperator<StoredObject> change) {
		Container objects = account(region, account).get(container);
		StoredObject current = (objects != null) ? objects.byName.get(name) : null;
		if (current == null) {
			return Optional.empty();
		}
		StoredObject changed = change.apply(current);
		objects.put(changed);
		return Optional.of(changed);
	}

	synchronized Optional<StoredObject> delete(String region, String account, String container, String name) {
		Container objects = account(region, account).get(container);
		StoredObject removed = (objects != null) ? objects.remove(name) : null;
		if (removed != null) {
			this.deleted.add(region + "/" + account + "/" + container + "/" + name);
		}
		return Optional.ofNullable(removed);
	}

	/**
	 * Every object deleted so far, in order, as {@code region/account/container/object}.
	 */
	synchronized List<String> deleted() {
		return List.copyOf(this.deleted);
	}

	/**
	 * Objects and bytes of a container as its listing would count them: those within the
	 * listing lag are not counted yet.
	 * @throws ApiError 404 when the container does not exist
	 */
	synchronized Usage usage(String region, String account, String container) {
		Container objects = account(region, account).get(container);
		if (objects == null) {
			throw new ApiError(404, "Not Found");
		}
		Instant now = this.clock.instant();
		if (!objects.lastVisibleAt.isAfter(now)) {
			return new Usage(objects.byName.size(), objects.bytes);
		}
		long count = 0;
		long bytes = 0;
		for (StoredObject object : objects.byName.values()) {
			if (!object.visibleAt().isAfter(now)) {
				count++;
				bytes += object.content().length();
			}
		}
		return new Usage(count, bytes);
	}

	/**
	 * Every container of an account, in Swift's order, with all its objects and bytes
	 * (listed or not yet).
	 */
	synchronized NavigableMap<String, Usage> containers(String region, String account) {
		NavigableMap<String, Usage> usage = new TreeMap<>(Listing.ORDER);
		account(region, account).forEach((name, c) -> usage.put(name, new Usage(c.byName.size(), c.bytes)));
		return usage;
	}

	/**
	 * A page of objects as a container listing shows it: those written within the listing
	 * lag are not there yet.
	 * @throws ApiError 404 when the container does not exist
	 */
	synchronized List<Listing.Entry<StoredObject>> list(String region, String account, String container,
			Listing.Query query) {
		Container objects = account(region, account).get(container);
		if (objects == null) {
			throw new ApiError(404, "Not Found");
		}
		Instant now = this.clock.instant();
		return Listing.page(objects.byName, query, (object) -> !object.visibleAt().isAfter(now));
	}

	Instant visibleAt(Instant written) {
		return written.plus(this.faults.get().listingLag());
	}

	/**
	 * Resolves what a GET of the object streams: a DLO is every listed object under its
	 * prefix, an SLO its segments (each still present with the size and etag the manifest
	 * recorded, or the GET fails with 409 as Swift's does).
	 */
	Resolved resolve(String region, String account, StoredObject object) {
		if (object.dloManifest() != null) {
			int slash = object.dloManifest().indexOf('/');
			String container = (slash < 0) ? object.dloManifest() : object.dloManifest().substring(0, slash);
			String prefix = (slash < 0) ? "" : object.dloManifest().substring(slash + 1);
			List<Content> parts = new ArrayList<>();
			StringBuilder etags = new StringBuilder();
			if (hasContainer(region, account, container)) {
				for (Listing.Entry<StoredObject> segment : list(region, account, container,
						Listing.Query.under(prefix))) {
					parts.add(segment.item().content());
					etags.append(segment.item().etag());
				}
			}
			return new Resolved(object, Concat.of(parts), '"' + md5Hex(etags.toString()) + '"');
		}
		if (object.sloSegments() != null) {
			List<Content> parts = new ArrayList<>();
			StringBuilder etags = new StringBuilder();
			for (StoredObject.SloSegment segment : object.sloSegments()) {
				StoredObject stored = get(region, account, segment.container(), segment.object())
					.filter((s) -> s.etag().equals(segment.etag()) && s.content().length() == segment.size())
					.orElseThrow(() -> new ApiError(409, "Segment " + segment.container() + "/" + segment.object()
							+ " of this Static Large Object is missing or has changed."));
				parts.add(stored.content());
				etags.append(segment.etag());
			}
			return new Resolved(object, Concat.of(parts), '"' + md5Hex(etags.toString()) + '"');
		}
		return new Resolved(object, object.content(), object.etag());
	}

	/** Every object of every account, for inspection. */
	synchronized Map<String, List<StoredObject>> snapshot() {
		Map<String, List<StoredObject>> all = new TreeMap<>();
		this.accounts.forEach((key, containers) -> containers
			.forEach((name, objects) -> all.put(key + "/" + name, new ArrayList<>(objects.byName.values()))));
		return all;
	}

	/**
	 * A container's objects by name, with the totals its HEAD reports kept as objects
	 * come and go. Guarded by the store's lock.
	 */
	private static final class Container {

		final NavigableMap<String, StoredObject> byName = new TreeMap<>(Listing.ORDER);

		long bytes;

		/**
		 * The latest time an object written here enters listings: once past, every object
		 * is listed and the totals are the usage.
		 */
		Instant lastVisibleAt = Instant.EPOCH;

		void put(StoredObject object) {
			StoredObject replaced = this.byName.put(object.name(), object);
			if (replaced != null) {
				this.bytes -= replaced.content().length();
			}
			this.bytes += object.content().length();
			if (object.visibleAt().isAfter(this.lastVisibleAt)) {
				this.lastVisibleAt = object.visibleAt();
			}
		}

		StoredObject remove(String name) {
			StoredObject removed = this.byName.remove(name);
			if (removed != null) {
				this.bytes -= removed.content().length();
			}
			return removed;
		}

	}

	static String md5Hex(String text) {
		return HexFormat.of().formatHex(Upload.md5().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Swift's name limits, in UTF-8 bytes.
	 * @throws ApiError 400 with Swift's text when a name is longer
	 */
	static void checkNames(String container, String object) {
		int containerBytes = container.getBytes(StandardCharsets.UTF_8).length;
		if (containerBytes > MAX_CONTAINER_NAME_LENGTH) {
			throw new ApiError(400,
					"Container name length of " + containerBytes + " longer than " + MAX_CONTAINER_NAME_LENGTH);
		}
		int objectBytes = (object != null) ? object.getBytes(StandardCharsets.UTF_8).length : 0;
		if (objectBytes > MAX_OBJECT_NAME_LENGTH) {
			throw new ApiError(400, "Object name length of " + objectBytes + " longer than " + MAX_OBJECT_NAME_LENGTH);
		}
	}

}

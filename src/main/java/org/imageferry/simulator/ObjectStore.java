package org.imageferry.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.imageferry.simulator.content.Concat;
import org.imageferry.simulator.content.Content;

/**
 * Cloud Files' data: per region and storage account, containers of objects kept in name
 * order (Swift lists in byte order of UTF-8 names; Java's String order agrees for the
 * names used here). Large objects are resolved here so the HTTP layer and the task engine
 * read them the same way. A listing starts at its marker or prefix and stops when its
 * page is full, and a container keeps its object count and bytes, so neither costs more
 * in a container of 50,000 objects than in one of 5.
 */
final class ObjectStore {

	/** An object's bytes as a GET streams them, large objects concatenated. */
	record Resolved(StoredObject object, Content content, String etag) {
	}

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
		return this.accounts.computeIfAbsent(region + "/" + account, (k) -> new TreeMap<>());
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
			throw new ApiError(404, "The resource could not be found.");
		}
		objects.put(object);
	}

	synchronized Optional<StoredObject> get(String region, String account, String container, String name) {
		Container objects = account(region, account).get(container);
		return Optional.ofNullable((objects != null) ? objects.byName.get(name) : null);
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
			throw new ApiError(404, "The resource could not be found.");
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
	 * Every container of an account, in name order, with all its objects and bytes
	 * (listed or not yet).
	 */
	synchronized Map<String, Usage> containerUsage(String region, String account) {
		Map<String, Usage> usage = new LinkedHashMap<>();
		account(region, account).forEach((name, c) -> usage.put(name, new Usage(c.byName.size(), c.bytes)));
		return usage;
	}

	/**
	 * Objects as a container listing shows them: those written within the listing lag are
	 * not there yet.
	 */
	synchronized List<StoredObject> list(String region, String account, String container, String prefix, String marker,
			String endMarker, int limit) {
		Container objects = account(region, account).get(container);
		if (objects == null) {
			throw new ApiError(404, "The resource could not be found.");
		}
		Instant now = this.clock.instant();
		boolean afterMarker = marker != null && !marker.isEmpty();
		NavigableMap<String, StoredObject> view;
		if (afterMarker && (prefix == null || marker.compareTo(prefix) >= 0)) {
			view = objects.byName.tailMap(marker, false);
		}
		else if (prefix != null) {
			// every name under the prefix sorts at or after it, and after a smaller
			// marker
			view = objects.byName.tailMap(prefix, true);
		}
		else {
			view = objects.byName;
		}
		List<StoredObject> listed = new ArrayList<>();
		for (StoredObject object : view.values()) {
			if (listed.size() >= limit || (endMarker != null && object.name().compareTo(endMarker) >= 0)) {
				break;
			}
			if (prefix != null && !object.name().startsWith(prefix)) {
				if (object.name().compareTo(prefix) > 0) {
					break;
				}
				continue;
			}
			if (!object.visibleAt().isAfter(now)) {
				listed.add(object);
			}
		}
		return listed;
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
				for (StoredObject segment : list(region, account, container, prefix, null, null, Integer.MAX_VALUE)) {
					parts.add(segment.content());
					etags.append(segment.etag());
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

		final NavigableMap<String, StoredObject> byName = new TreeMap<>();

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

	static void checkNames(String container, String object) throws IOException {
		if (container.getBytes(StandardCharsets.UTF_8).length > 256) {
			throw new ApiError(400, "Container name length of " + container.length() + " longer than 256");
		}
		if (object != null && object.getBytes(StandardCharsets.UTF_8).length > 1024) {
			throw new ApiError(400, "Object name length of " + object.length() + " longer than 1024");
		}
	}

}

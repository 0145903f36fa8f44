package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SwiftClient#deleteAll}: many objects of a container deleted with Swift's bulk
 * delete when the cluster's {@code /info} offers it (asked once per client, that is per
 * region and account, for the run), else one {@code DELETE} each, a few at a time. Either
 * way every delete is paced ({@link WritePacer}), and a bulk delete sends at most one
 * second's worth of paths. A bulk delete answers 200 whatever happened, so its body
 * decides: the paths it lists as {@code 429 Too Many Requests} (or 5xx) are sent again as
 * the retry rule allows, other errors leave their object. Once the retries of one request
 * are spent the container is taken to be failing and nothing more is tried in it: what is
 * left is answered, not raised.
 */
final class ObjectDeletes {

	private static final Logger log = LoggerFactory.getLogger(ObjectDeletes.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Single DELETEs in flight at once in one {@link #deleteAll}. */
	static final int CONCURRENCY = 4;

	private static final ExecutorService THREADS = Executors.newCachedThreadPool((r) -> {
		Thread thread = new Thread(r, "swift-delete");
		thread.setDaemon(true);
		return thread;
	});

	private final SwiftClient client;

	private final String region;

	private final Retries retries;

	private final Duration timeout;

	private final WritePacer pacer;

	private final Supplier<ClusterInfo> askInfo;

	private volatile ClusterInfo info;

	ObjectDeletes(SwiftClient client, Retries retries, Duration timeout, WritePacer pacer,
			Supplier<ClusterInfo> askInfo) {
		this.client = client;
		this.region = client.region();
		this.retries = retries;
		this.timeout = timeout;
		this.pacer = pacer;
		this.askInfo = askInfo;
	}

	/** The cluster's capabilities, asked on first use. */
	ClusterInfo info() {
		ClusterInfo known = this.info;
		if (known == null) {
			synchronized (this) {
				if (this.info == null) {
					this.info = this.askInfo.get();
				}
				known = this.info;
			}
		}
		return known;
	}

	Deletion deleteAll(String container, List<String> objects) {
		if (objects.isEmpty()) {
			return Deletion.COMPLETE;
		}
		Tally tally = new Tally(objects);
		if (info().bulkDelete()) {
			bulk(container, objects, tally);
		}
		else {
			oneByOne(container, objects, tally);
		}
		return tally.deletion(objects);
	}

	private void bulk(String container, List<String> objects, Tally tally) {
		for (int from = 0, size; from < objects.size(); from += size) {
			size = Math.max(1, this.pacer.batch(container, info().maxDeletesPerRequest()));
			List<String> part = objects.subList(from, Math.min(objects.size(), from + size));
			try {
				bulkPart(container, part, tally);
			}
			catch (BulkDeleteRefused ex) {
				log.warn("{} refused bulk delete although /info offers it (HTTP {}): deleting one object at a time",
						this.region, ex.status);
				this.info = ClusterInfo.NO_BULK_DELETE;
				oneByOne(container, objects.subList(from, objects.size()), tally);
				return;
			}
			catch (CloudException ex) {
				tally.failed(ex.getMessage());
				return;
			}
		}
	}

	/** One bulk delete; the paths it could not delete for now are sent again. */
	private void bulkPart(String container, List<String> part, Tally tally) {
		List<String> pending = new ArrayList<>(part);
		String what = "bulk delete in " + container + " in " + this.region;
		this.retries.run(this.region, what, () -> this.pacer.attempt(container, pending.size(), () -> {
			String body = pending.stream()
				.map((object) -> path(container, object))
				.collect(Collectors.joining("\n", "", "\n"));
			HttpResponse<InputStream> response = this.client.sendOnce(what,
					() -> HttpRequest.newBuilder(this.client.uri(null, null, "?bulk-delete"))
						.timeout(this.timeout)
						.header("Content-Type", "text/plain")
						.header("Accept", "application/json")
						.method("DELETE", HttpRequest.BodyPublishers.ofString(body)));
			JsonNode answer = answer(what, response);
			Map<String, String> errors = new HashMap<>();
			answer.path("Errors")
				.forEach((error) -> errors.put(decode(error.path(0).asText()), error.path(1).asText()));
			String status = answer.path("Response Status").asText("");
			if (!status.startsWith("2") && errors.isEmpty()) {
				throw CloudException.ofStatus(what, code(status),
						status + " " + answer.path("Response Body").asText(""), null);
			}
			// Every path is counted as deleted, not found or failed; when they do not add
			// up (Swift stops after too many failures), which went is not known: all
			// again.
			boolean accounted = answer.path("Number Deleted").asInt() + answer.path("Number Not Found").asInt()
					+ errors.size() == pending.size();
			List<String> again = new ArrayList<>();
			for (String object : pending) {
				String error = errors.get("/" + container + "/" + object);
				if (error == null && accounted) {
					tally.deleted(object);
				}
				else if (error == null || retryable(error)) {
					again.add(object);
				}
				else {
					tally.failed(what + ": " + container + "/" + object + " answered " + error);
				}
			}
			pending.clear();
			pending.addAll(again);
			if (!pending.isEmpty()) {
				throw CloudException.retryable(
						what + ": " + pending.size() + " objects not deleted yet ("
								+ errors.getOrDefault("/" + container + "/" + pending.get(0), "not reported") + ")",
						429, null, null);
			}
			return null;
		}));
	}

	private static JsonNode answer(String what, HttpResponse<InputStream> response) {
		int status = response.statusCode();
		try (InputStream in = response.body()) {
			if (status == 405 || status == 501) {
				throw new BulkDeleteRefused(status);
			}
			if (status >= 300) {
				throw CloudException.ofStatus(what, status, new String(in.readNBytes(2000), StandardCharsets.UTF_8),
						null);
			}
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw CloudException.retryable(what + ": the answer was cut", 0, null, ex);
		}
	}

	/**
	 * One {@code DELETE} per object, {@value #CONCURRENCY} at a time, each paced and
	 * retried by {@link SwiftClient#delete}. A permanent refusal leaves its object; a
	 * failure past the retries (or an interrupt) stops the rest.
	 */
	private void oneByOne(String container, List<String> objects, Tally tally) {
		Queue<String> queue = new ConcurrentLinkedQueue<>(objects);
		AtomicBoolean stop = new AtomicBoolean();
		Runnable worker = () -> {
			for (String object = queue.poll(); object != null && !stop.get(); object = queue.poll()) {
				try {
					this.client.delete(container, object);
					tally.deleted(object);
				}
				catch (RuntimeException ex) {
					tally.failed(ex.getMessage());
					if (!(ex instanceof CloudException cloud) || cloud.retryable() || cloud.status() == 0) {
						stop.set(true);
					}
				}
			}
		};
		List<Future<?>> workers = new ArrayList<>();
		for (int i = 0; i < Math.min(CONCURRENCY, objects.size()); i++) {
			workers.add(THREADS.submit(worker));
		}
		for (Future<?> running : workers) {
			try {
				running.get();
			}
			catch (InterruptedException ex) {
				stop.set(true);
				Thread.currentThread().interrupt();
				tally.failed("the clean-up in " + container + " was interrupted");
				return;
			}
			catch (ExecutionException ex) {
				tally.failed(String.valueOf(ex.getCause()));
			}
		}
	}

	private static String path(String container, String object) {
		return "/" + SwiftClient.encode(container) + "/" + SwiftClient.encode(object);
	}

	private static String decode(String path) {
		return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	/** A path's error that a later attempt may not meet: the rate limit, the cluster. */
	private static boolean retryable(String status) {
		return status.startsWith("429") || status.startsWith("5") || status.startsWith("408");
	}

	private static int code(String status) {
		return status.matches("\\d{3}.*") ? Integer.parseInt(status.substring(0, 3)) : 502;
	}

	/** The cluster answered a bulk delete as a plain Swift without the middleware. */
	private static final class BulkDeleteRefused extends RuntimeException {

		private final int status;

		BulkDeleteRefused(int status) {
			super("bulk delete answered " + status, null, false, false);
			this.status = status;
		}

	}

	/** What one deleteAll got done: every object is left until it is known deleted. */
	private static final class Tally {

		private final Set<String> left;

		private String reason;

		Tally(List<String> objects) {
			this.left = Collections.synchronizedSet(new LinkedHashSet<>(objects));
		}

		void deleted(String object) {
			this.left.remove(object);
		}

		synchronized void failed(String why) {
			if (this.reason == null) {
				this.reason = why;
			}
		}

		synchronized Deletion deletion(List<String> objects) {
			List<String> stayed = objects.stream().filter(this.left::contains).distinct().toList();
			return stayed.isEmpty() ? Deletion.COMPLETE
					: new Deletion(stayed, (this.reason != null) ? this.reason : "not deleted");
		}

	}

}

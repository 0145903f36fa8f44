package org.imageferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.imageferry.simulator.Inspection;

/**
 * How many requests of each kind a run made, a kind being the method and the path's shape
 * ({@code HEAD /files/DFW/v1/A/exports/{id}.vhd}: ids and the storage account replaced).
 * The overhead benchmark counts the job's requests in the simulator's request log and
 * hands them, with the job's time, to {@link SimulatorBench}, which sends the same number
 * of each kind to a fresh simulator: the job's time over the simulator's own time for the
 * same requests is what image-ferry costs on top of the cloud it drives, a ratio that
 * holds from one machine to the next where an absolute time does not.
 * <p>
 * Written as tab-separated lines: {@code images}, {@code client-threads} and
 * {@code job-seconds} first, then one {@code count kind} line per kind.
 */
record RequestMix(int images, int clientThreads, double jobSeconds, Map<String, Long> counts) {

	RequestMix {
		counts = new TreeMap<>(counts);
	}

	/** The kinds of the requests in a simulator's log, the inspection's own left out. */
	static RequestMix of(int images, int clientThreads, double jobSeconds,
			Collection<Inspection.RequestView> requests) {
		Map<String, Long> counts = requests.stream()
			.filter((r) -> !r.service().equals("_admin"))
			.collect(Collectors.groupingBy((r) -> kind(r.method(), r.path()), TreeMap::new, Collectors.counting()));
		return new RequestMix(images, clientThreads, jobSeconds, counts);
	}

	/** A request's kind: its method and its decoded path without ids or account. */
	static String kind(String method, String path) {
		return method + " " + path.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}")
			.replaceAll("/v1/[^/]+", "/v1/A");
	}

	long count(String kind) {
		return this.counts.getOrDefault(kind, 0L);
	}

	long total() {
		return this.counts.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * The {@code i}th of {@link #images} images' share of a kind's requests: spread as
	 * evenly as whole numbers allow, the shares of all images adding up to the count.
	 */
	int share(String kind, int i) {
		long c = count(kind);
		return (int) ((i + 1) * c / this.images - i * c / this.images);
	}

	/**
	 * Where another mix differs from this one, as {@code kind +n} (more there) or
	 * {@code kind -n}; empty when they are the same.
	 */
	List<String> differences(RequestMix other) {
		List<String> differences = new ArrayList<>();
		TreeSet<String> kinds = new TreeSet<>(this.counts.keySet());
		kinds.addAll(other.counts.keySet());
		for (String kind : kinds) {
			long delta = other.count(kind) - count(kind);
			if (delta != 0) {
				differences.add(String.format(Locale.ROOT, "%s %+d", label(kind), delta));
			}
		}
		return differences;
	}

	/** Each kind's requests per image, the most frequent first, for a table row. */
	String perImage() {
		return this.counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.map((e) -> String.format(Locale.ROOT, "%s %.2f", label(e.getKey()), (double) e.getValue() / this.images))
			.collect(Collectors.joining(", "));
	}

	/** A kind as short as it stays clear: {@code HEAD files/DFW/exports/{id}.vhd}. */
	static String label(String kind) {
		return kind.replace(" /", " ").replace("/v1/A", "").replace("/v2/", "/");
	}

	void write(Path file) throws IOException {
		StringBuilder text = new StringBuilder();
		text.append("images\t").append(this.images).append('\n');
		text.append("client-threads\t").append(this.clientThreads).append('\n');
		text.append("job-seconds\t").append(this.jobSeconds).append('\n');
		this.counts.forEach((kind, count) -> text.append(count).append('\t').append(kind).append('\n'));
		Files.writeString(file, text);
	}

	static RequestMix read(Path file) throws IOException {
		Map<String, String> header = new TreeMap<>();
		Map<String, Long> counts = new TreeMap<>();
		for (String line : Files.readAllLines(file)) {
			String[] fields = line.split("\t", 2);
			if (fields[0].matches("\\d+")) {
				counts.put(fields[1], Long.parseLong(fields[0]));
			}
			else if (fields.length == 2) {
				header.put(fields[0], fields[1]);
			}
		}
		return new RequestMix(Integer.parseInt(header.get("images")), Integer.parseInt(header.get("client-threads")),
				Double.parseDouble(header.get("job-seconds")), counts);
	}

}

package org.imageferry.report;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Publishes the meters at the end of a run, in the Prometheus text format: as a textfile
 * for node_exporter's textfile collector (written atomically, as the collector requires)
 * and, when configured, pushed to a Pushgateway.
 */
public final class PrometheusExport {

	/** The text format node_exporter and the Pushgateway read. */
	static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

	private PrometheusExport() {
	}

	public static String exposition(PrometheusMeterRegistry registry) {
		return registry.scrape(CONTENT_TYPE);
	}

	public static void writeTextfile(PrometheusMeterRegistry registry, Path file) throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path temp = dir.resolve("." + file.getFileName() + ".tmp");
		Files.writeString(temp, exposition(registry));
		Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * A worker's textfile: beside the profile's {@code metrics-textfile}, named by the
	 * worker ({@code image-ferry.prom} of worker {@code host-a:4242/1}:
	 * {@code image-ferry-host-a-4242-1.prom}), so that workers on one host, which share
	 * the profile, do not overwrite each other's file.
	 */
	public static Path workerTextfile(Path textfile, String worker) {
		String name = textfile.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		String extension = (dot > 0) ? name.substring(dot) : "";
		return textfile.resolveSibling(stem + "-" + worker.replaceAll("[^A-Za-z0-9._-]+", "-") + extension);
	}

	/**
	 * PUTs the metrics to {@code <gateway>/metrics/job/image_ferry/profile/<profile>},
	 * replacing what the profile's previous run pushed.
	 */
	public static void push(PrometheusMeterRegistry registry, URI gateway, String profile, HttpClient http)
			throws IOException, InterruptedException {
		String base = gateway.toString().replaceAll("/+$", "");
		URI target = URI.create(base + "/metrics/job/image_ferry/profile/"
				+ URLEncoder.encode(profile, StandardCharsets.UTF_8).replace("+", "%20"));
		HttpRequest request = HttpRequest.newBuilder(target)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", CONTENT_TYPE)
			.PUT(HttpRequest.BodyPublishers.ofString(exposition(registry)))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IOException("the Pushgateway at " + base + " answered HTTP " + response.statusCode());
		}
	}

}

package org.imageferry.testsupport.realswift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The requests the test Swift's proxy served, read from its access log (the
 * {@code proxy_logging} middleware): what a test asks of the simulator's request log, a
 * real Swift answers here. Only clients' requests count, not the proxy's own sub-requests
 * (a large object's segments, versioning checks).
 */
public final class ProxyLog {

	/** A client's request: its account, container and object (null where absent). */
	public record Served(String method, String account, String container, String object, int status,
			double startSeconds, double endSeconds) {
	}

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final Path log;

	private final URI proxy;

	ProxyLog(Path log, URI proxy) {
		this.log = log;
		this.proxy = proxy;
	}

	/**
	 * Every client request served so far. The proxy writes a request's line just after
	 * its answer, so the line of a request a test saw answered may still be on its way: a
	 * marker request is sent, and the log read once the marker's line is in it.
	 */
	public List<Served> served() {
		String marker = UUID.randomUUID().toString();
		try {
			HTTP.send(HttpRequest.newBuilder(this.proxy.resolve("/info?marker=" + marker)).build(),
					HttpResponse.BodyHandlers.discarding());
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (true) {
				List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
				if (lines.stream().anyMatch((line) -> line.contains(marker))) {
					return lines.stream().map(ProxyLog::parse).filter((s) -> s != null && s.account() != null).toList();
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("the proxy did not log the marker request in 10 s: " + this.log);
				}
				Thread.sleep(10);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One access line: {@code proxy-server: client_ip remote_addr datetime method path
	 * protocol status referer user_agent auth_token bytes_recvd bytes_sent client_etag
	 * transaction_id headers request_time source log_info start_time end_time
	 * policy_index}, each field URL-quoted; {@code source} is {@code -} for a client's
	 * request.
	 */
	static Served parse(String line) {
		// "proxy-server: ", or the name of the proxy without bulk delete
		int name = line.indexOf(": ");
		if (!line.startsWith("proxy-server") || name < 0) {
			return null;
		}
		String[] fields = line.substring(name + 2).split(" ");
		if (fields.length < 21 || fields[0].equals("-") || !fields[16].equals("-") || !fields[6].matches("\\d{3}")) {
			return null;
		}
		String path = fields[4];
		int query = path.indexOf("%3F");
		if (query >= 0) {
			path = path.substring(0, query);
		}
		String[] parts = path.split("/", 5);
		String account = (parts.length > 2 && parts[1].equals("v1")) ? decode(parts[2]) : null;
		String container = (parts.length > 3 && account != null) ? decode(parts[3]) : null;
		String object = (parts.length > 4 && account != null) ? decode(parts[4]) : null;
		return new Served(fields[3], account, container, object, Integer.parseInt(fields[6]),
				Double.parseDouble(fields[18]), Double.parseDouble(fields[19]));
	}

	private static String decode(String quoted) {
		return URLDecoder.decode(quoted.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	/**
	 * The most requests in {@code served} that were in progress at the same moment, by
	 * their start and end times.
	 */
	public static int mostAtOnce(List<Served> served) {
		List<double[]> events = new ArrayList<>();
		for (Served s : served) {
			events.add(new double[] { s.startSeconds(), 1 });
			events.add(new double[] { s.endSeconds(), -1 });
		}
		// at the same instant an end comes before a start: touching is not overlapping
		events.sort((a, b) -> (a[0] != b[0]) ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
		int now = 0;
		int most = 0;
		for (double[] event : events) {
			now += (int) event[1];
			most = Math.max(most, now);
		}
		return most;
	}

}

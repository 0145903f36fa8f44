package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;

/**
 * One HTTP request and its answer, with the few helpers every simulated service needs.
 * Bodies are streamed both ways; only JSON documents (small by nature) are read whole.
 */
final class Exchange {

	static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

	private final HttpExchange http;

	private final List<String> segments;

	private final Map<String, String> query;

	private boolean answered;

	Exchange(HttpExchange http) {
		this.http = http;
		String raw = http.getRequestURI().getRawPath();
		this.segments = List.of((raw.startsWith("/") ? raw.substring(1) : raw).split("/", -1))
			.stream()
			.map((s) -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
			.toList();
		this.query = parseQuery(http.getRequestURI().getRawQuery());
	}

	private static Map<String, String> parseQuery(String raw) {
		Map<String, String> query = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return query;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			query.putIfAbsent(key, value);
		}
		return query;
	}

	String method() {
		return this.http.getRequestMethod();
	}

	/**
	 * Path segments, decoded: {@code /images/DFW/v2/tasks} gives
	 * {@code [images, DFW, v2, tasks]}.
	 */
	List<String> segments() {
		return this.segments;
	}

	Map<String, String> query() {
		return this.query;
	}

	String query(String name) {
		return this.query.get(name);
	}

	String header(String name) {
		return this.http.getRequestHeaders().getFirst(name);
	}

	Map<String, List<String>> headers() {
		return this.http.getRequestHeaders();
	}

	String mediaType() {
		String type = header("Content-Type");
		return (type != null) ? type.split(";")[0].trim().toLowerCase() : null;
	}

	InputStream body() {
		return this.http.getRequestBody();
	}

	/** The request's declared length, or -1 when it is chunked or absent. */
	long contentLength() {
		String length = header("Content-Length");
		try {
			return (length != null) ? Long.parseLong(length.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			throw new ApiError(400, "Bad Content-Length header");
		}
	}

	JsonNode readJson() {
		try (InputStream in = body()) {
			byte[] bytes = in.readNBytes(1 << 20);
			if (in.read() != -1) {
				throw new ApiError(413, "Request body too large");
			}
			JsonNode node = JSON.readTree(bytes);
			if (node == null || node.isMissingNode()) {
				throw new ApiError(400, "The request body is empty; a JSON document was expected");
			}
			return node;
		}
		catch (JsonProcessingException ex) {
			throw new ApiError(400, "Malformed JSON in request body");
		}
		catch (IOException ex) {
			throw new ApiError(400, "Could not read the request body");
		}
	}

	void setHeader(String name, String value) {
		this.http.getResponseHeaders().set(name, value);
	}

	boolean answered() {
		return this.answered;
	}

	void sendJson(int status, JsonNode body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		sendBytes(status, "application/json; charset=UTF-8", bytes);
	}

	void sendText(int status, String text) throws IOException {
		sendBytes(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
	}

	void sendBytes(int status, String contentType, byte[] bytes) throws IOException {
		setHeader("Content-Type", contentType);
		if (method().equals("HEAD")) {
			setHeader("Content-Length", Long.toString(bytes.length));
			sendEmpty(status);
			return;
		}
		this.answered = true;
		this.http.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = this.http.getResponseBody()) {
			out.write(bytes);
		}
	}

	/**
	 * An answer without a body; for HEAD the Content-Length header set beforehand is
	 * kept.
	 */
	void sendEmpty(int status) throws IOException {
		this.answered = true;
		this.http.sendResponseHeaders(status, -1);
		this.http.close();
	}

	/**
	 * Streams {@code length} bytes. When {@code dropAfter} is non-negative the connection
	 * is cut after that many bytes, as a flaky network would.
	 */
	void sendStream(int status, long length, InputStream in, long dropAfter) throws IOException {
		this.answered = true;
		if (method().equals("HEAD")) {
			setHeader("Content-Length", Long.toString(length));
			this.http.sendResponseHeaders(status, -1);
			this.http.close();
			return;
		}
		this.http.sendResponseHeaders(status, (length == 0) ? -1 : length);
		OutputStream out = this.http.getResponseBody();
		try (in) {
			long limit = (dropAfter >= 0) ? Math.min(dropAfter, length) : length;
			byte[] buffer = new byte[256 * 1024];
			long sent = 0;
			while (sent < limit) {
				int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
				if (n < 0) {
					break;
				}
				out.write(buffer, 0, n);
				sent += n;
			}
		}
		finally {
			// closing short of the declared length makes the server drop the connection
			this.http.close();
		}
	}

	/** Cuts the connection without an answer. */
	void drop() {
		this.answered = true;
		this.http.close();
	}

}

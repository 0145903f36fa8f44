package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * One HTTP request and its answer, with the few helpers every simulated service needs.
 * Bodies are streamed both ways; only JSON documents (small by nature) are read whole.
 * <p>
 * The request body is read only when a service asks for it: {@code 100 Continue} goes out
 * at its first read, as Swift (on eventlet) sends it, and an answer can go out before the
 * body is read — a 401, a 404, a 413 or 429 comes at once. Then, as eventlet does, a body
 * the client sends anyway (it did not ask {@code Expect: 100-continue}) is read and
 * discarded after the answer and the connection kept ({@link #discardUnreadBody}); a
 * client that asked and was not told to continue has not sent its body, so the answer
 * closes the connection ({@code Connection: close}).
 */
final class Exchange {

	static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

	private final Request request;

	private final Response response;

	private final List<String> segments;

	private final Map<String, String> query;

	private final HostLink link;

	private RequestBody body;

	private int status = -1;

	private boolean answered;

	private boolean dropped;

	/**
	 * @param link the link of the simulated host the request came on, which object bodies
	 * cross at its rate
	 */
	Exchange(Request request, Response response, HostLink link) {
		this.request = request;
		this.response = response;
		this.link = link;
		String raw = request.getHttpURI().getPath();
		this.segments = List.of((raw.startsWith("/") ? raw.substring(1) : raw).split("/", -1))
			.stream()
			.map((s) -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
			.toList();
		this.query = parseQuery(request.getHttpURI().getQuery());
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
		return this.request.getMethod();
	}

	/**
	 * Path segments, decoded: {@code /images/DFW/v2/tasks} gives
	 * {@code [images, DFW, v2, tasks]}.
	 */
	List<String> segments() {
		return this.segments;
	}

	/** The decoded path, for the request log. */
	String path() {
		return "/" + String.join("/", this.segments);
	}

	/** The query as sent, undecoded; null without one. */
	String rawQuery() {
		return this.request.getHttpURI().getQuery();
	}

	Map<String, String> query() {
		return this.query;
	}

	String query(String name) {
		return this.query.get(name);
	}

	/**
	 * Where the request arrived, as {@code http://127.0.0.2:8777}: what a client reached
	 * the simulator at, so the URLs handed to it keep it on that host.
	 */
	String arrivedAt() {
		InetSocketAddress local = (InetSocketAddress) this.request.getConnectionMetaData().getLocalSocketAddress();
		return "http://" + local.getAddress().getHostAddress() + ":" + local.getPort();
	}

	String header(String name) {
		return this.request.getHeaders().get(name);
	}

	/**
	 * The request headers by name, matched without regard to case, as the client spelt
	 * them.
	 */
	Map<String, List<String>> headers() {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (HttpField field : this.request.getHeaders()) {
			headers.computeIfAbsent(field.getName(), (name) -> new ArrayList<>()).add(field.getValue());
		}
		return Collections.unmodifiableMap(headers);
	}

	String mediaType() {
		String type = header("Content-Type");
		return (type != null) ? type.split(";")[0].trim().toLowerCase() : null;
	}

	/**
	 * The request body; its first read sends {@code 100 Continue} when one is expected.
	 */
	InputStream body() {
		if (this.body == null) {
			this.body = new RequestBody(Content.Source.asInputStream(this.request), contentLength());
		}
		return this.body;
	}

	/**
	 * The request body as an object's bytes: read at the pace of the host's link, as
	 * {@link #body()} is not (JSON documents and lists are small).
	 */
	InputStream objectBody() {
		return this.link.reading(body());
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

	/**
	 * Sets a response header, spelt as given: Swift's {@code Etag} is not Jetty's
	 * {@code ETag}, and a client looking for one spelling must meet the other here as it
	 * would there. Only a header in Jetty's own spelling is one Jetty knows (and acts on,
	 * as with Content-Length).
	 */
	void setHeader(String name, String value) {
		HttpHeader known = HttpHeader.CACHE.get(name);
		this.response.getHeaders()
			.put((known != null && known.asString().equals(name)) ? new HttpField(known, value)
					: new HttpField(null, name, value));
	}

	boolean answered() {
		return this.answered;
	}

	/** The status answered, or -1 when the connection was cut before an answer. */
	int status() {
		return this.status;
	}

	boolean dropped() {
		return this.dropped;
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
		start(status, bytes.length);
		write(true, ByteBuffer.wrap(bytes));
	}

	/**
	 * An answer without a body; for HEAD the Content-Length header set beforehand is
	 * kept.
	 */
	void sendEmpty(int status) throws IOException {
		start(status, method().equals("HEAD") ? -1 : 0);
		write(true, null);
	}

	/**
	 * Streams {@code length} bytes, an object's, at the pace of the host's link. When
	 * {@code dropAfter} is non-negative the connection is cut after that many bytes, as a
	 * flaky network would.
	 */
	void sendStream(int status, long length, InputStream in, long dropAfter) throws IOException {
		if (method().equals("HEAD")) {
			in.close();
			setHeader("Content-Length", Long.toString(length));
			sendEmpty(status);
			return;
		}
		start(status, length);
		try (in) {
			long limit = (dropAfter >= 0) ? Math.min(dropAfter, length) : length;
			byte[] buffer = new byte[256 * 1024];
			long sent = 0;
			while (sent < limit) {
				// whole buffers, so that answers sharing a host's link take equal turns
				int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, limit - sent));
				if (n == 0) {
					break;
				}
				this.link.pass(n);
				write(false, ByteBuffer.wrap(buffer, 0, n));
				sent += n;
			}
			if (sent < length) {
				// short of the declared length: the client sees the body end early
				drop();
				return;
			}
			write(true, null);
		}
	}

	/** Cuts the connection without (the rest of) an answer. */
	void drop() {
		this.answered = true;
		this.dropped = true;
		this.request.getConnectionMetaData().getConnection().getEndPoint().close();
	}

	/**
	 * Sets the status, and the length unless it is -1 (HEAD keeps the one set); an answer
	 * given while the request body is unread ends the connection.
	 */
	private void start(int status, long length) {
		this.answered = true;
		this.status = status;
		this.response.setStatus(status);
		if (length >= 0) {
			this.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
		}
		if (bodyUnread() && expectsContinue()) {
			this.response.getHeaders().put(HttpHeader.CONNECTION, "close");
		}
	}

	private boolean expectsContinue() {
		return "100-continue".equalsIgnoreCase(header("Expect"));
	}

	/**
	 * After the answer: reads and discards what the client still sends of a body no
	 * service read, so the connection can carry the next request, as eventlet does. Not
	 * when the client waits for {@code 100 Continue} (it sends nothing; the connection
	 * closes) or the connection was cut.
	 */
	void discardUnreadBody() {
		if (this.dropped || !bodyUnread() || expectsContinue()) {
			return;
		}
		try (InputStream in = body()) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// the client gave up on its body: nothing more will come on this connection
			drop();
		}
	}

	private boolean bodyUnread() {
		boolean hasBody = contentLength() > 0 || header("Transfer-Encoding") != null;
		return hasBody && (this.body == null || !this.body.ended());
	}

	private void write(boolean last, ByteBuffer bytes) throws IOException {
		try (Blocker.Callback written = Blocker.callback()) {
			this.response.write(last, bytes, written);
			written.block();
		}
	}

}

package org.imageferry.cloud;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ClientResponseException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.core.transport.ClientConstants;
import org.openstack4j.core.transport.Config;
import org.openstack4j.core.transport.ExecutionOptions;
import org.openstack4j.core.transport.HttpEntityHandler;
import org.openstack4j.core.transport.HttpExecutorService;
import org.openstack4j.core.transport.HttpRequest;
import org.openstack4j.core.transport.HttpResponse;
import org.openstack4j.core.transport.ObjectMapperSingleton;

/**
 * OpenStack4j's HTTP connector on the JDK HttpClient (found through
 * {@code META-INF/services}). One client per {@link Config} — its connect timeout and
 * {@link javax.net.ssl.SSLContext} — keeps connections alive across calls; OpenStack4j's
 * OkHttp connector built a new client, trust index included, for every request. The read
 * timeout bounds each request; a Content-Type header a service sets is sent as set. A 401
 * is answered as it is: {@link AccountSession} authenticates again.
 */
public final class JdkHttpConnector implements HttpExecutorService {

	/** Headers the JDK HttpClient sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

	private static final Map<Config, HttpClient> CLIENTS = new ConcurrentHashMap<>();

	@Override
	public <R> HttpResponse execute(HttpRequest<R> request) {
		Config config = request.getConfig();
		java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.getUrl()));
		if (config.getReadTimeout() > 0) {
			builder.timeout(Duration.ofMillis(config.getReadTimeout()));
		}
		builder.method(request.getMethod().name(), body(request, builder));
		if (request.hasHeaders()) {
			request.getHeaders().forEach((name, value) -> {
				if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))
						&& !name.equalsIgnoreCase(ClientConstants.HEADER_CONTENT_TYPE)) {
					builder.header(name, String.valueOf(value));
				}
			});
		}
		try {
			java.net.http.HttpResponse<byte[]> response = client(config).send(builder.build(),
					java.net.http.HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new ConnectionException(ex.getMessage(), 0, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConnectionException("interrupted", 0, ex);
		}
	}

	private static BodyPublisher body(HttpRequest<?> request, java.net.http.HttpRequest.Builder builder) {
		Object entity = request.getEntity();
		try {
			if (entity instanceof InputStream in) {
				builder.header(ClientConstants.HEADER_CONTENT_TYPE, contentType(request));
				return BodyPublishers.ofByteArray(in.readAllBytes());
			}
			if (entity != null) {
				builder.header(ClientConstants.HEADER_CONTENT_TYPE, contentType(request));
				return BodyPublishers.ofByteArray(
						ObjectMapperSingleton.getContext(entity.getClass()).writer().writeValueAsBytes(entity));
			}
		}
		catch (IOException ex) {
			throw new ConnectionException("the request body cannot be written: " + ex.getMessage(), 0, ex);
		}
		if (request.hasJson()) {
			builder.header(ClientConstants.HEADER_CONTENT_TYPE, ClientConstants.CONTENT_TYPE_JSON);
			return BodyPublishers.ofString(request.getJson());
		}
		return BodyPublishers.noBody();
	}

	/**
	 * A Content-Type header the service set (the image JSON patch's) wins over the
	 * request's default.
	 */
	private static String contentType(HttpRequest<?> request) {
		if (request.hasHeaders()) {
			for (Map.Entry<String, Object> header : request.getHeaders().entrySet()) {
				if (header.getKey().equalsIgnoreCase(ClientConstants.HEADER_CONTENT_TYPE)) {
					return String.valueOf(header.getValue());
				}
			}
		}
		return request.getContentType();
	}

	private static HttpClient client(Config config) {
		return CLIENTS.computeIfAbsent(config, (c) -> {
			HttpClient.Builder builder = HttpClient.newBuilder()
				.executor(Runnable::run)
				.version(HttpClient.Version.HTTP_1_1)
				.followRedirects(HttpClient.Redirect.NEVER);
			if (c.getConnectTimeout() > 0) {
				builder.connectTimeout(Duration.ofMillis(c.getConnectTimeout()));
			}
			if (c.getSslContext() != null) {
				builder.sslContext(c.getSslContext());
			}
			return builder.build();
		});
	}

	@Override
	public String getExecutorDisplayName() {
		return "image-ferry JDK HttpClient connector";
	}

	/** A response read whole: API answers are small JSON documents. */
	private static final class Response implements HttpResponse {

		private final java.net.http.HttpResponse<byte[]> response;

		Response(java.net.http.HttpResponse<byte[]> response) {
			this.response = response;
		}

		@Override
		public <T> T getEntity(Class<T> returnType) {
			return getEntity(returnType, null);
		}

		/**
		 * OpenStack4j's reading of the answer; an error answer's {@code Retry-After} goes
		 * along with the exception it becomes (not a 401's: that one means a new token).
		 */
		@Override
		public <T> T getEntity(Class<T> returnType, ExecutionOptions<T> options) {
			try {
				return HttpEntityHandler.handle(this, returnType, options, Boolean.TRUE);
			}
			catch (AuthenticationException ex) {
				throw ex;
			}
			catch (ResponseException ex) {
				String retryAfter = header("Retry-After");
				throw (retryAfter != null) ? new RetryAfterException(ex, retryAfter) : ex;
			}
		}

		@Override
		public <T> T readEntity(Class<T> type) {
			try {
				return ObjectMapperSingleton.getContext(type).reader(type).readValue(this.response.body());
			}
			catch (IOException ex) {
				throw new ClientResponseException(ex.getMessage(), 0, ex);
			}
		}

		@Override
		public int getStatus() {
			return this.response.statusCode();
		}

		@Override
		public String getContentType() {
			return header(ClientConstants.HEADER_CONTENT_TYPE);
		}

		@Override
		public String getStatusMessage() {
			return "HTTP " + this.response.statusCode();
		}

		@Override
		public InputStream getInputStream() {
			return new ByteArrayInputStream(this.response.body());
		}

		@Override
		public String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		@Override
		public Map<String, String> headers() {
			Map<String, String> headers = new java.util.HashMap<>();
			this.response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
			return headers;
		}

		@Override
		public void close() {
			// read whole already
		}

	}

}

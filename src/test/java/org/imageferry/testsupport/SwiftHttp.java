package org.imageferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.imageferry.cloud.StorageAccount;

/**
 * Plain HTTP to one account's Cloud Files (Swift) API with the JDK HttpClient: the
 * account's token and storage URL, nothing of the product's client. Tests use it to
 * prepare and observe a backend, and to send both backends the same request.
 */
public final class SwiftHttp {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private static final ObjectMapper JSON = new ObjectMapper();

	private final StorageAccount account;

	private final String region;

	public SwiftHttp(StorageAccount account, String region) {
		this.account = account;
		this.region = region;
	}

	/** The account's storage URL, e.g. {@code http://127.0.0.1:4567/v1/AUTH_test}. */
	public String storageUrl() {
		return this.account.storageUrl(this.region, false).toString();
	}

	public String token() {
		return this.account.token();
	}

	/**
	 * The cluster's capabilities document, {@code /info} beside the storage URL's
	 * {@code /v1/}.
	 */
	public URI info() {
		String url = storageUrl();
		return URI.create(url.substring(0, url.indexOf("/v1/")) + "/info");
	}

	/**
	 * @param path below the storage URL, already encoded ({@link #encode}), e.g.
	 * {@code /container/object?format=json}
	 * @param headers names and values, alternating
	 */
	public Response send(String method, String path, byte[] body, String... headers) {
		return send(URI.create(storageUrl() + path), method, body, headers);
	}

	/** Sends with the account's token to any address (such as {@link #info()}). */
	public Response send(URI uri, String method, byte[] body, String... headers) {
		HttpRequest.BodyPublisher publisher = (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
				: HttpRequest.BodyPublishers.noBody();
		return exchange(request(uri, headers).method(method, publisher).build());
	}

	/** Streams {@code length} bytes from {@code body} into an object. */
	public Response put(String container, String object, Supplier<InputStream> body, long length, String... headers) {
		URI uri = URI.create(storageUrl() + "/" + encode(container) + "/" + encode(object));
		HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers
			.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
		return exchange(request(uri, headers).PUT(publisher).build());
	}

	private HttpRequest.Builder request(URI uri, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(60))
			.header("X-Auth-Token", token());
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		return builder;
	}

	private static Response exchange(HttpRequest request) {
		try {
			HttpResponse<byte[]> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return new Response(answer.statusCode(), answer.headers(), answer.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Percent-encodes a container or object name for a path, keeping its slashes. */
	public static String encode(String name) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	/** An answer read whole. */
	public record Response(int status, HttpHeaders headers, byte[] body) {

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		public JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("not JSON: " + text(), ex);
			}
		}

		@Override
		public String toString() {
			return this.status + " " + this.headers.map() + " " + text();
		}

	}

}

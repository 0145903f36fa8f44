package org.imageferry.cloud;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The data path of {@link SwiftClient}: whole-object downloads and uploads of segment
 * bodies over blocking {@link HttpURLConnection}s, where one thread reads, digests and
 * writes each buffer (the JDK HttpClient hands every buffer between threads, a fifth more
 * CPU per byte). Connect and per-read timeouts, no redirects, no proxy, the same TLS
 * trust as the HttpClient. Nothing here is retried: a body cannot be read twice, so the
 * caller retries the whole copy.
 */
final class ObjectStream {

	/** Bytes per read and write of a streamed body. */
	static final int COPY_BUFFER = 256 * 1024;

	private final StorageAccount account;

	private final String region;

	private final SSLContext tls;

	private final Retries retries;

	private final Duration timeout;

	private final BiFunction<String, String, URI> uri;

	ObjectStream(StorageAccount account, String region, SSLContext tls, Retries retries, Duration timeout,
			BiFunction<String, String, URI> uri) {
		this.account = account;
		this.region = region;
		this.tls = tls;
		this.retries = retries;
		this.timeout = timeout;
		this.uri = uri;
	}

	/**
	 * Opens a streamed download of the whole object over blocking I/O (see the class
	 * comment). Not retried: the caller retries the whole streamed copy.
	 * @return the body, exactly the object's bytes; the caller closes it
	 */
	InputStream download(String container, String object) {
		String what = "GET " + container + "/" + object;
		return this.account.withToken((token) -> {
			HttpURLConnection connection = open(this.uri.apply(container, object), token);
			try {
				int status = connection.getResponseCode();
				this.retries.observer().answered(this.region, "object-store", status);
				if (status == 404) {
					connection.disconnect();
					throw CloudException
						.permanent(what + " in " + this.region + " answered 404: the object does not exist", 404);
				}
				if (status != 200) {
					String body = readError(connection);
					throw CloudException.ofStatus(what + " in " + this.region, status, body,
							RetryAfter.parse(connection.getHeaderField("Retry-After")));
				}
				return connection.getInputStream();
			}
			catch (IOException ex) {
				throw cut(what, connection, ex);
			}
		});
	}

	/**
	 * Streams {@code length} bytes read from {@code body} into the object over blocking
	 * I/O (see the class comment), sending the expected MD5 as {@code ETag} so Cloud
	 * Files refuses (422) a body that arrives different. A body that ends early, or a
	 * thread interrupted while copying, abandons the upload: nothing is stored. Not
	 * retried: the caller retries the whole streamed copy — also after a 401, since the
	 * body cannot be read twice (the refused token is forgotten first).
	 * @return the ETag Cloud Files answered
	 */
	String put(String container, String object, long length, InputStream body, String md5) {
		String what = "PUT " + container + "/" + object;
		AtomicBoolean sent = new AtomicBoolean();
		return this.account.withToken((token) -> {
			if (!sent.compareAndSet(false, true)) {
				throw CloudException.retryable(
						what + " in " + this.region
								+ " answered 401 after its body was sent: the copy starts again with a new token",
						0, null, null);
			}
			HttpURLConnection connection = open(this.uri.apply(container, object), token);
			try {
				connection.setRequestMethod("PUT");
				connection.setDoOutput(true);
				connection.setFixedLengthStreamingMode(length);
				connection.setRequestProperty("ETag", md5);
				connection.setRequestProperty("Content-Type", "application/octet-stream");
				try (OutputStream out = connection.getOutputStream()) {
					copy(body, out, length);
				}
				int status = connection.getResponseCode();
				this.retries.observer().answered(this.region, "object-store", status);
				if (status == 422) {
					connection.disconnect();
					throw CloudException.retryable(
							what + " in " + this.region + " answered 422: the body's MD5 differs from " + md5, 422,
							null, null);
				}
				if (status >= 300) {
					String error = readError(connection);
					throw CloudException.ofStatus(what + " in " + this.region, status, error,
							RetryAfter.parse(connection.getHeaderField("Retry-After")));
				}
				String etag = SwiftClient.unquote(Objects.requireNonNullElse(connection.getHeaderField("ETag"), ""));
				connection.getInputStream().close();
				return etag;
			}
			catch (IOException ex) {
				if (Thread.currentThread().isInterrupted()) {
					// stopped, not cut (a read timeout is an InterruptedIOException too)
					connection.disconnect();
					throw new CloudException(what + " interrupted", 0, false, null, ex);
				}
				throw cut(what, connection, ex);
			}
		});
	}

	/**
	 * Copies exactly {@code length} bytes; a body that ends early fails the copy, and an
	 * interrupt (left set) is seen between two reads.
	 */
	static void copy(InputStream body, OutputStream out, long length) throws IOException {
		byte[] buffer = new byte[(int) Math.max(1, Math.min(COPY_BUFFER, length))];
		long copied = 0;
		while (copied < length) {
			if (Thread.currentThread().isInterrupted()) {
				throw new InterruptedIOException("interrupted after " + copied + " of " + length + " bytes");
			}
			int n = body.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
			if (n < 0) {
				throw new EOFException("the body ended after " + copied + " of " + length + " bytes");
			}
			out.write(buffer, 0, n);
			copied += n;
		}
	}

	/**
	 * A connection for one streamed exchange: token, timeouts (connect, and each read),
	 * no redirects, no proxy, and the same TLS trust as the HttpClient.
	 */
	private HttpURLConnection open(URI uri, String token) {
		try {
			HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
			if (connection instanceof HttpsURLConnection https) {
				https.setSSLSocketFactory(this.tls.getSocketFactory());
			}
			connection.setConnectTimeout((int) this.timeout.toMillis());
			connection.setReadTimeout((int) this.timeout.toMillis());
			connection.setInstanceFollowRedirects(false);
			connection.setUseCaches(false);
			connection.setRequestProperty("X-Auth-Token", token);
			return connection;
		}
		catch (IOException ex) {
			throw CloudException.retryable(
					"connecting to Cloud Files in " + this.region + " failed: " + AccountSession.rootMessage(ex), 0,
					null, ex);
		}
	}

	/** A streamed exchange that failed without an answer: retryable. */
	private CloudException cut(String what, HttpURLConnection connection, IOException ex) {
		connection.disconnect();
		this.retries.observer().answered(this.region, "object-store", 0);
		return CloudException.retryable(what + " in " + this.region + " failed: " + AccountSession.rootMessage(ex), 0,
				null, ex);
	}

	private static String readError(HttpURLConnection connection) {
		try (InputStream in = connection.getErrorStream()) {
			return (in != null) ? new String(in.readNBytes(2000), StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

}

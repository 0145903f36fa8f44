package org.imageferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An HTTPS server on loopback with a self-signed certificate made at test time by the
 * JDK's {@code keytool} (SAN {@code ip:127.0.0.1}, {@code dns:localhost}); every request
 * gets {@code 401} and an Identity v2.0 {@code unauthorized} body, so a client that gets
 * an answer at all has completed the TLS handshake. {@link #certificate()} is the
 * certificate as PEM, for a CA bundle.
 */
public final class SelfSignedServer implements AutoCloseable {

	private static final String PASSWORD = "changeit";

	private final HttpsServer server;

	private final Path certificate;

	private SelfSignedServer(HttpsServer server, Path certificate) {
		this.server = server;
		this.certificate = certificate;
	}

	public static SelfSignedServer start(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
		Path keystore = dir.resolve("server.p12");
		Path pem = dir.resolve("server.pem");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
				keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", PASSWORD,
				"-file", pem.toString());
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keystore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setHttpsConfigurator(new HttpsConfigurator(context));
		server.createContext("/", (exchange) -> {
			byte[] body = "{\"unauthorized\": {\"code\": 401, \"message\": \"Unable to authenticate user with credentials provided.\"}}"
				.getBytes(StandardCharsets.UTF_8);
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(401, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return new SelfSignedServer(server, pem);
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
		}
	}

	/** The base URL, {@code https://127.0.0.1:<port>}. */
	public String url() {
		return "https://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The server's certificate, PEM. */
	public Path certificate() {
		return this.certificate;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}

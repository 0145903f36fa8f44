package org.imageferry.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.testsupport.SelfSignedServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JDK HttpClient's trust: the JDK's default trust store refuses a self-signed server,
 * a CA bundle holding its certificate makes it trusted.
 */
class TlsTrustTests {

	@TempDir
	static Path dir;

	static SelfSignedServer server;

	@BeforeAll
	static void start() throws Exception {
		server = SelfSignedServer.start(dir);
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void withoutABundleTheJdkDefaultsRefuseASelfSignedCertificate() {
		// given
		TlsTrust trust = TlsTrust.of(null);

		// when / then
		assertThat(trust.custom()).isFalse();
		assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> get(trust))
			.withMessageContaining("PKIX");
	}

	@Test
	void aBundleWithTheCertificateIsTrusted() throws Exception {
		// given
		TlsTrust trust = TlsTrust.of(server.certificate());

		// when
		HttpResponse<String> response = get(trust);

		// then
		assertThat(trust.custom()).isTrue();
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("unauthorized");
	}

	@Test
	void aBundleWithoutCertificatesIsRefused() throws Exception {
		// given
		Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificate here\n");

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> TlsTrust.of(empty)).withMessageContaining(empty.toString());
	}

	@Test
	void aMissingBundleIsRefused() {
		// given
		Path missing = dir.resolve("missing.pem");

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> TlsTrust.of(missing))
			.withMessageContaining("CA bundle " + missing);
	}

	@Test
	void noProductionCodeTurnsVerificationOff() throws Exception {
		// given
		List<String> forbidden = List.of("withSSLVerificationDisabled", "UntrustedSSL", "X509TrustManager",
				"HostnameVerifier", "TrustAll");

		// when
		List<String> offending;
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			offending = sources.filter((p) -> p.toString().endsWith(".java"))
				.filter((p) -> forbidden.stream().anyMatch(read(p)::contains))
				.map(Path::toString)
				.toList();
		}

		// then
		assertThat(offending).isEmpty();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static HttpResponse<String> get(TlsTrust trust) throws Exception {
		HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
		return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v2.0/tokens")).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}

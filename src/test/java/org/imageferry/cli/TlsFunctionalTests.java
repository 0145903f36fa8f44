package org.imageferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ImageFerryApplication;
import org.imageferry.testsupport.SelfSignedServer;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line, in a child process (a CA bundle becomes the process's default trust
 * store), against an identity endpoint with a self-signed certificate: without a CA
 * bundle the run fails at once with one plain TLS message; with the certificate as the
 * bundle the handshake succeeds and the identity's own answer (a refused key) is what the
 * operator reads.
 */
class TlsFunctionalTests {

	@TempDir
	static Path dir;

	static SelfSignedServer server;

	static Path manifest;

	@BeforeAll
	static void start() throws Exception {
		server = SelfSignedServer.start(dir);
		manifest = Files.writeString(dir.resolve("tls.csv"), "image_id\n6b1c2f55-0d3a-4a4e-9f0e-5d8e7c1b2a30\n");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aSelfSignedIdentityIsRefusedWithOnePlainMessage() throws Exception {
		// given
		Path job = job("default-trust", null);

		// when
		Result result = run(job);

		// then
		assertThat(result.code()).as(result.output()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.output()).contains("image-ferry: identity at " + server.url() + "/v2.0")
			.contains("failed TLS verification")
			.contains("image-ferry.ca-bundle")
			.doesNotContain("\tat ")
			.doesNotContain("Exception in thread");
	}

	@Test
	void withTheCertificateAsTheCaBundleTheHandshakeSucceeds() throws Exception {
		// given
		Path job = job("ca-bundle", server.certificate());

		// when
		Result result = run(job);

		// then
		assertThat(result.code()).as(result.output()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.output()).as("identity answered over TLS")
			.contains("refused the API key of user 'tls-user' (HTTP 401)")
			.doesNotContain("TLS verification")
			.doesNotContain("\tat ");
	}

	record Result(int code, String output) {
	}

	private static Path job(String name, Path caBundle) throws IOException {
		return JobProfile.write(dir.resolve(name + ".yml"), server.url() + "/v2.0", dir.resolve(name), """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				retries: 1
				retry-delay: 10ms
				""" + ((caBundle != null) ? "ca-bundle: " + caBundle + "\n" : ""));
	}

	private static Result run(Path job) throws Exception {
		Path log = dir.resolve(job.getFileName() + ".log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), ImageFerryApplication.class.getName(), "run", "--job",
				job.toString(), "--manifest", manifest.toString());
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAX_"));
		builder.environment().put("RAX_USERNAME", "tls-user");
		builder.environment().put("RAX_API_KEY", "tls-key");
		Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the run ends").isTrue();
		return new Result(process.exitValue(), Files.readString(log));
	}

}

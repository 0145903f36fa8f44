package org.imageferry.simulator;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;

/**
 * Object POST (metadata) and Swift's server-side copies ({@code COPY} with
 * {@code Destination}, {@code PUT} with {@code X-Copy-From}): a copy holds the source's
 * bytes, a Large Object's concatenated, and outlives its source.
 */
class CloudFilesCopyTests {

	private SimulatorClient client;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "c");
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	private SimulatorClient.Call call(String method, String path) {
		return this.client.call(method, this.client.files(ALICE, path)).as(ALICE);
	}

	private SimulatorClient.Response send(String method, String path) {
		return call(method, path).send();
	}

	@Test
	void postReplacesTheMetadataAndTheTypeAndAnswers202() {
		// given
		call("PUT", "/c/o").header("X-Object-Meta-Color", "red")
			.header("X-Object-Meta-Size", "big")
			.body("hello".getBytes(StandardCharsets.UTF_8), "application/octet-stream")
			.send();

		// when
		SimulatorClient.Response post = call("POST", "/c/o").header("x-object-meta-shape", "round")
			.header("Content-Type", "text/plain")
			.send();
		SimulatorClient.Response head = send("HEAD", "/c/o");
		SimulatorClient.Response missing = call("POST", "/c/none").header("X-Object-Meta-A", "1").send();

		// then
		assertThat(post.status()).isEqualTo(202);
		assertThat(post.text())
			.isEqualTo("<html><h1>Accepted</h1><p>The request is accepted for processing.</p></html>");
		assertThat(head.header("X-Object-Meta-Shape")).isEqualTo("round");
		assertThat(head.headers().map().keySet()).noneMatch((h) -> h.equalsIgnoreCase("X-Object-Meta-Color"))
			.noneMatch((h) -> h.equalsIgnoreCase("X-Object-Meta-Size"));
		assertThat(head.header("Content-Type")).isEqualTo("text/plain");
		assertThat(head.header("ETag")).isEqualTo(SimulatorClient.md5("hello"));
		assertThat(send("GET", "/c/o").text()).isEqualTo("hello");
		assertThat(missing.status()).isEqualTo(404);
	}

	@Test
	void aDynamicLargeObjectManifestPostedWithoutItsManifestHeaderBecomesAPlainObject() {
		// given
		this.client.putObject(ALICE, "c", "s/1", "ab".getBytes(StandardCharsets.UTF_8));
		this.client.putObject(ALICE, "c", "s/2", "cd".getBytes(StandardCharsets.UTF_8));
		call("PUT", "/c/m").header("X-Object-Manifest", "c/s/").body(new byte[0]).send();

		// when
		int keeping = call("POST", "/c/m").header("X-Object-Manifest", "c/s/").send().status();
		String kept = send("GET", "/c/m").text();
		int dropping = call("POST", "/c/m").header("X-Object-Meta-A", "1").send().status();
		SimulatorClient.Response plain = send("GET", "/c/m");

		// then
		assertThat(keeping).isEqualTo(202);
		assertThat(kept).isEqualTo("abcd");
		assertThat(dropping).isEqualTo(202);
		assertThat(plain.body()).isEmpty();
		assertThat(plain.header("X-Object-Manifest")).isNull();
	}

	@Test
	void copyAndPutWithXCopyFromStoreTheSourcesBytesWhichOutliveTheSource() {
		// given: larger than what stays in memory, so the bytes sit in a file
		this.client.createContainer(ALICE, "dst");
		byte[] body = SimulatorClient.randomBytes(300 * 1024, 11);
		call("PUT", "/c/src").header("X-Object-Meta-A", "1").body(body, "application/x-test").send();

		// when
		SimulatorClient.Response copied = call("COPY", "/c/src").header("Destination", "/dst/copied")
			.header("X-Object-Meta-B", "2")
			.send();
		SimulatorClient.Response put = call("PUT", "/dst/from-put").header("X-Copy-From", "c/src").send();
		send("DELETE", "/c/src");
		SimulatorClient.Response copy = send("GET", "/dst/copied");
		SimulatorClient.Response fromPut = send("GET", "/dst/from-put");

		// then
		assertThat(copied.status()).isEqualTo(201);
		assertThat(copied.header("ETag")).isEqualTo(SimulatorClient.md5(body));
		assertThat(copied.header("X-Copied-From")).isEqualTo("c/src");
		assertThat(copied.header("X-Copied-From-Last-Modified")).endsWith(" GMT");
		assertThat(put.status()).isEqualTo(201);
		assertThat(copy.body()).isEqualTo(body);
		assertThat(copy.header("X-Object-Meta-A")).isEqualTo("1");
		assertThat(copy.header("X-Object-Meta-B")).isEqualTo("2");
		assertThat(copy.header("Content-Type")).isEqualTo("application/x-test");
		assertThat(fromPut.body()).isEqualTo(body);
		assertThat(fromPut.header("ETag")).isEqualTo(SimulatorClient.md5(body));
	}

	@Test
	void aCopyOfADynamicLargeObjectHoldsTheConcatenationUnlessTheManifestIsAskedFor() {
		// given
		this.client.createContainer(ALICE, "segments");
		this.client.putObject(ALICE, "segments", "obj/001", "hello ".getBytes(StandardCharsets.UTF_8));
		this.client.putObject(ALICE, "segments", "obj/002", "world".getBytes(StandardCharsets.UTF_8));
		call("PUT", "/c/obj").header("X-Object-Manifest", "segments/obj/").body(new byte[0]).send();

		// when
		SimulatorClient.Response whole = call("COPY", "/c/obj").header("Destination", "c/whole").send();
		SimulatorClient.Response manifest = call("COPY", "/c/obj?multipart-manifest=get")
			.header("Destination", "c/manifest")
			.send();
		String throughManifest = send("GET", "/c/manifest").text();
		String manifestHeader = send("HEAD", "/c/manifest").header("X-Object-Manifest");
		send("DELETE", "/segments/obj/001");
		send("DELETE", "/segments/obj/002");
		SimulatorClient.Response copy = send("GET", "/c/whole");

		// then
		assertThat(whole.status()).isEqualTo(201);
		assertThat(whole.header("ETag")).isEqualTo(SimulatorClient.md5("hello world"));
		assertThat(manifest.status()).isEqualTo(201);
		assertThat(throughManifest).isEqualTo("hello world");
		assertThat(manifestHeader).isEqualTo("segments/obj/");
		assertThat(copy.text()).isEqualTo("hello world");
		assertThat(copy.header("X-Object-Manifest")).isNull();
		assertThat(send("GET", "/c/manifest").body()).isEmpty();
	}

	@Test
	void aCopyOfAMissingSourceIs404AMalformedDestination412AndOneWithABody400() {
		// given
		this.client.putObject(ALICE, "c", "o", new byte[] { 7 });

		// when
		SimulatorClient.Response noSource = call("COPY", "/c/none").header("Destination", "/c/x").send();
		SimulatorClient.Response noSourcePut = call("PUT", "/c/x").header("X-Copy-From", "/c/none").send();
		SimulatorClient.Response noContainer = call("COPY", "/c/o").header("Destination", "/nowhere/x").send();
		SimulatorClient.Response malformed = call("COPY", "/c/o").header("Destination", "just-a-name").send();
		SimulatorClient.Response noDestination = send("COPY", "/c/o");
		SimulatorClient.Response withBody = call("PUT", "/c/x").header("X-Copy-From", "/c/o")
			.body("xyz".getBytes(StandardCharsets.UTF_8))
			.send();

		// then
		assertThat(noSource.status()).isEqualTo(404);
		assertThat(noSourcePut.status()).isEqualTo(404);
		assertThat(noContainer.status()).isEqualTo(404);
		assertThat(malformed.status()).isEqualTo(412);
		assertThat(malformed.text()).isEqualTo("Destination header must be of the form <container name>/<object name>");
		assertThat(noDestination.status()).isEqualTo(412);
		assertThat(noDestination.text()).isEqualTo("Destination header required");
		assertThat(withBody.status()).isEqualTo(400);
		assertThat(withBody.text()).isEqualTo("Copy requests require a zero byte body");
		assertThat(send("HEAD", "/c/x").status()).isEqualTo(404);
	}

	@Test
	void metadataBeyondSwiftsLimitsIs400AndStoresNothing() {
		// when
		SimulatorClient.Response longName = call("PUT", "/c/a").header("X-Object-Meta-" + "n".repeat(129), "v")
			.body(new byte[1])
			.send();
		SimulatorClient.Response longValue = call("PUT", "/c/b").header("X-Object-Meta-V", "v".repeat(257))
			.body(new byte[1])
			.send();

		// then
		assertThat(longName.status()).isEqualTo(400);
		assertThat(longName.text()).isEqualTo("Metadata name too long: x-object-meta-" + "n".repeat(129));
		assertThat(longValue.status()).isEqualTo(400);
		assertThat(longValue.text()).isEqualTo("Metadata value longer than 256: x-object-meta-v");
		assertThat(send("GET", "/c").status()).isEqualTo(204);
	}

}

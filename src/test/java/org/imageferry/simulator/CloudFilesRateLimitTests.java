package org.imageferry.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.REGION;

/**
 * Cloud Files' per-container write limit ({@link Rules#containerWritesPerSecond()}): a
 * write beyond it within a sliding second is 429 with {@code Retry-After}, answered
 * before its body is read; reads and other containers are not held back; a bulk delete
 * counts each object. The cloud runs on a clock the test steps, so the second passes
 * exactly when the test says.
 */
class CloudFilesRateLimitTests {

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T10:00:00Z"));

	private SimulatorClient client;

	@AfterEach
	void stop() {
		this.client.close();
	}

	private void start(int writesPerSecond) {
		this.client = SimulatorClient.start(SimulatorClient.config()
			.clock(this.clock)
			.rules(Rules.builder().containerWritesPerSecond(writesPerSecond).build())
			.build());
		this.client.createContainer(ALICE, "c");
		this.client.createContainer(ALICE, "d");
	}

	private SimulatorClient.Response send(String method, String path) {
		return this.client.call(method, this.client.files(ALICE, path)).as(ALICE).send();
	}

	private SimulatorClient.Response put(String path) {
		return this.client.call("PUT", this.client.files(ALICE, path)).as(ALICE).body(new byte[10]).send();
	}

	@Test
	void aWriteBeyondTheLimitInASlidingSecondIs429WithRetryAfter() {
		// given: 3 writes a second
		start(3);
		put("/c/a");
		this.clock.advance(Duration.ofMillis(400));
		put("/c/b");
		this.client.call("POST", this.client.files(ALICE, "/c/a")).as(ALICE).header("X-Object-Meta-X", "1").send();

		// when
		SimulatorClient.Response refused = put("/c/x");
		int read = send("GET", "/c/a").status();
		int otherContainer = put("/d/x").status();
		this.clock.advance(Duration.ofMillis(600));
		int afterTheFirstLeft = put("/c/y").status();
		SimulatorClient.Response refusedDelete = send("DELETE", "/c/a");
		SimulatorClient.Response refusedCopy = this.client.call("COPY", this.client.files(ALICE, "/d/x"))
			.as(ALICE)
			.header("Destination", "/c/copy")
			.send();

		// then
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		assertThat(refused.text()).startsWith("<html><h1>Too Many Requests</h1>");
		assertThat(send("HEAD", "/c/x").status()).isEqualTo(404);
		assertThat(read).isEqualTo(200);
		assertThat(otherContainer).isEqualTo(201);
		assertThat(afterTheFirstLeft).isEqualTo(201);
		assertThat(refusedDelete.status()).isEqualTo(429);
		assertThat(send("HEAD", "/c/a").status()).isEqualTo(200);
		assertThat(refusedCopy.status()).isEqualTo(429);
	}

	@Test
	void aRefusedWriteIsAnsweredBeforeItsBodyIsSent() throws IOException {
		// given: the container's one write of this second is used
		start(1);
		put("/c/first");
		URI uri = URI.create(this.client.files(ALICE, "/c/second"));
		String head = "PUT " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: "
				+ this.client.token(ALICE) + "\r\nContent-Length: 1000000\r\n\r\n";

		// when: only the headers go out, and the answer is read with the body unsent
		String answer;
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			answer = readUntil(socket.getInputStream(), "</html>");
		}

		// then
		assertThat(answer).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 1");
		assertThat(answer).endsWith("</p></html>");
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		int n;
		while (!read.toString(StandardCharsets.US_ASCII).endsWith(end) && (n = in.read(buffer)) > 0) {
			read.write(buffer, 0, n);
		}
		return read.toString(StandardCharsets.US_ASCII);
	}

	@Test
	void aBulkDeleteCountsEachObjectAndListsThoseOverTheLimitAsErrors() {
		// given: three objects written a second ago, then a limit of 2
		start(0);
		for (String name : new String[] { "a", "b", "c" }) {
			put("/c/" + name);
		}
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().containerWritesPerSecond(2).build());
		this.clock.advance(Duration.ofSeconds(1));

		// when
		JsonNode answer = this.client.call("DELETE", this.client.files(ALICE, "?bulk-delete"))
			.as(ALICE)
			.header("Accept", "application/json")
			.text("/c/a\n/c/b\n/c/c\n", "text/plain")
			.send()
			.json();

		// then
		assertThat(answer.path("Number Deleted").asInt()).isEqualTo(2);
		assertThat(answer.path("Response Status").asText()).isEqualTo("400 Bad Request");
		assertThat(answer.path("Errors").toString()).isEqualTo("[[\"/c/c\",\"429 Too Many Requests\"]]");
		assertThat(send("GET", "/c").text()).isEqualTo("c\n");
	}

	@Test
	void infoStatesTheLimitWhileItIsSet() {
		// given
		start(100);
		String info = URI.create(this.client.cloud.filesUrl(REGION, ALICE, false) + "/")
			.resolve("../../info")
			.toString();

		// when
		JsonNode limited = this.client.call("GET", info).send().json();
		this.client.cloud.rules(Rules.defaults());
		JsonNode unlimited = this.client.call("GET", info).send().json();

		// then
		assertThat(limited.path("ratelimit").path("container_ratelimits").toString()).isEqualTo("[[0,100]]");
		assertThat(unlimited.has("ratelimit")).isFalse();
	}

}

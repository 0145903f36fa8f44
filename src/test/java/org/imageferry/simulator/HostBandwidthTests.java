package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.LinkTimings.Rates;
import org.imageferry.simulator.LinkTimings.Transfer;
import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.imageferry.simulator.LinkTimings.curl;
import static org.imageferry.simulator.LinkTimings.together;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.JSON;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;

/**
 * Each simulated host's link over real HTTP: a client on a host authenticates at that
 * host's identity URL and goes where its catalog says, as a worker does; object bodies
 * are timed as they cross. The cap is small (5 MB/s) so that each measurement takes about
 * two seconds and little of a busy machine's time.
 */
class HostBandwidthTests {

	private static final long CAP = 5_000_000;

	private static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");

	private SimulatorClient client;

	/** The exported image the downloads read, by ranges of its manifest. */
	private String export;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void twoClientsOnTwoHostsEachGetTheCapAndTwiceItTogether() throws Exception {
		// given
		start(HOSTS, CAP);
		OnHost two = on("127.0.0.2");
		OnHost three = on("127.0.0.3");

		// when
		Rates rates = new Rates(
				() -> together(() -> two.get(this.export, 2 * CAP), () -> three.get(this.export, 2 * CAP)));

		// then
		rates.of("the download on 127.0.0.2", (t) -> t.get(0).rate(), CAP)
			.of("the download on 127.0.0.3", (t) -> t.get(1).rate(), CAP)
			.of("both together", Transfer::aggregate, 2 * CAP)
			.verify();
	}

	@Test
	void twoClientsOnOneHostShareItsCapWhileAnotherHostsUploadHasItsOwn() throws Exception {
		// given
		start(HOSTS, CAP);
		OnHost first = on("127.0.0.2");
		OnHost second = on("127.0.0.2");
		OnHost other = on("127.0.0.4");
		byte[] body = SimulatorClient.randomBytes((int) CAP, 7);

		// when
		Rates rates = new Rates(() -> together(() -> first.put("/uploads/a", body),
				() -> second.put("/uploads/b", body), () -> other.put("/uploads/c", body)));

		// then: 5 MB each, two through one 5 MB/s link, one through its own
		rates.share("the first upload on 127.0.0.2", (t) -> t.get(0).rate(), CAP / 2, CAP)
			.share("the second upload on 127.0.0.2", (t) -> t.get(1).rate(), CAP / 2, CAP)
			.of("both on 127.0.0.2 together", (t) -> Transfer.aggregate(t.subList(0, 2)), CAP)
			.of("the upload on 127.0.0.4", (t) -> t.get(2).rate(), CAP)
			.verify();
		assertThat(SimulatorClient.md5(body)).isEqualTo(first.etag("/uploads/a")).isEqualTo(other.etag("/uploads/c"));
	}

	@Test
	void aClientThatBindsItsSourceAddressIsOnThatHostWhereverItConnects() throws Exception {
		// given: curl from 127.0.0.4 and a plain client, both reaching 127.0.0.1
		start(List.of("127.0.0.1"), CAP);
		OnHost plain = on("127.0.0.1");
		String range = "bytes=0-" + (2 * CAP - 1);

		// when
		Rates rates = new Rates(
				() -> together(() -> plain.get(this.export, 2 * CAP), () -> curl("--interface", "127.0.0.4", "-H",
						"X-Auth-Token: " + plain.token, "-H", "Range: " + range, plain.files + this.export)));

		// then: two hosts, two links
		List<Transfer> transfers = rates.of("the plain client's download", (t) -> t.get(0).rate(), CAP)
			.of("curl's download from 127.0.0.4", (t) -> t.get(1).rate(), CAP)
			.verify();
		assertThat(transfers.get(1).bytes()).isEqualTo(2 * CAP);
	}

	@Test
	void aTokenRequestedAtOneHostHasACatalogNamingThatHost() throws Exception {
		// given
		start(HOSTS, 0);

		// when
		JsonNode atThree = on("127.0.0.3").access;
		JsonNode atOne = on("127.0.0.1").access;

		// then
		assertThat(urls(atThree)).hasSize(3 * 3).allMatch((url) -> url.startsWith("http://127.0.0.3:" + port() + "/"));
		assertThat(urls(atOne)).allMatch((url) -> url.startsWith(this.client.cloud.baseUrl() + "/"));
		assertThat(this.client.cloud.baseUrl()).startsWith("http://127.0.0.1:");
	}

	@Test
	void theBannerNamesTheHostsTheirLinkAndHowAClientIsOnOne() throws Exception {
		// given
		start(HOSTS, CAP);

		// when
		String banner = SimulatorMain.banner(this.client.cloud, "default", "");

		// then
		assertThat(banner)
			.contains("hosts:     127.0.0.1, 127.0.0.2, 127.0.0.3, 127.0.0.4, each its own link of 5000000 bytes/s")
			.contains("IMAGE_FERRY_IDENTITY_URL=" + this.client.cloud.identityUrl("127.0.0.4"))
			.contains("identity:  " + this.client.cloud.identityUrl() + " ");
	}

	@Test
	void byDefaultTheSimulatorListensOnOneAddressWithoutACap() throws Exception {
		// given
		start(SimulatorClient.config());
		OnHost plain = on("127.0.0.1");

		// when
		Transfer transfer = plain.get(this.export, 2 * CAP);

		// then: far faster than the cap the other tests set, and no other address
		assertThat(this.client.cloud.config().hosts()).containsExactly("127.0.0.1");
		assertThat(SimulatorMain.banner(this.client.cloud, "default", "")).doesNotContain("hosts:");
		assertThat(transfer.rate()).isGreaterThan(3 * CAP);
		assertThat(urls(plain.access)).allMatch((url) -> url.startsWith("http://127.0.0.1:"));
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.2", port()).close());
	}

	private void start(List<String> hosts, long cap) {
		start(SimulatorClient.config().hosts(hosts).hostBandwidth(cap));
	}

	/**
	 * Starts the cloud and exports a 16 MiB image for the downloads (the export task's
	 * bytes cross no host's link).
	 */
	private void start(SimulatorConfig.Builder config) {
		this.client = SimulatorClient.start(config.segmentSize(8 * MIB).keepBytesUpTo(MIB).build());
		String image = this.client.addImage(ALICE, "image", SyntheticVhd.fixed(16 * MIB, 3));
		this.client.createContainer(ALICE, "exports");
		this.client.createContainer(ALICE, "uploads");
		JsonNode task = this.client.runTask(ALICE, SimulatorClient.exportTask(image, "exports"));
		assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("success");
		this.export = "/exports/" + image + ".vhd";
		// the upload path's first run loads its classes: not part of a timing
		this.client.putObject(ALICE, "uploads", "warm-up", SimulatorClient.randomBytes((int) (2 * MIB), 1));
	}

	private int port() {
		return URI.create(this.client.cloud.baseUrl()).getPort();
	}

	private static List<String> urls(JsonNode access) {
		List<String> urls = new ArrayList<>();
		access.path("access").path("serviceCatalog").forEach((service) -> service.path("endpoints").forEach((e) -> {
			urls.add(e.path("publicURL").asText());
			if (e.has("internalURL")) {
				urls.add(e.path("internalURL").asText());
			}
		}));
		return urls;
	}

	/** A client on one host: its token and catalog came from that host's identity URL. */
	private final class OnHost {

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final JsonNode access;

		private final String token;

		private final String files;

		private OnHost(String host) throws Exception {
			String auth = SimulatorClient.apiKeyAuth("alice", "alice-api-key");
			HttpResponse<byte[]> r = this.http.send(HttpRequest
				.newBuilder(URI.create(HostBandwidthTests.this.client.cloud.identityUrl(host) + "/tokens"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(auth))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(r.statusCode()).isEqualTo(200);
			this.access = JSON.readTree(r.body());
			this.token = this.access.path("access").path("token").path("id").asText();
			String files = null;
			for (JsonNode service : this.access.path("access").path("serviceCatalog")) {
				for (JsonNode endpoint : service.path("endpoints")) {
					if (service.path("name").asText().equals("cloudFiles")
							&& endpoint.path("region").asText().equals(REGION)) {
						files = endpoint.path("publicURL").asText();
					}
				}
			}
			this.files = files;
		}

		/** The first {@code bytes} of an object, read to their end and timed. */
		Transfer get(String object, long bytes) {
			HttpRequest request = request(object).header("Range", "bytes=0-" + (bytes - 1)).GET().build();
			long started = System.nanoTime();
			try {
				HttpResponse<InputStream> r = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
				long read;
				try (InputStream in = r.body()) {
					read = in.transferTo(OutputStream.nullOutputStream());
				}
				assertThat(r.statusCode()).isEqualTo(206);
				return new Transfer(read, started, System.nanoTime());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** An object's upload, timed until the simulator's answer. */
		Transfer put(String object, byte[] body) {
			HttpRequest request = request(object).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
			long started = System.nanoTime();
			try {
				HttpResponse<String> r = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
				return new Transfer(body.length, started, System.nanoTime());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		String etag(String object) throws Exception {
			return this.http
				.send(request(object).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
						HttpResponse.BodyHandlers.discarding())
				.headers()
				.firstValue("Etag")
				.orElse(null);
		}

		private HttpRequest.Builder request(String object) {
			return HttpRequest.newBuilder(URI.create(this.files + object))
				.header("X-Auth-Token", this.token)
				.timeout(Duration.ofSeconds(20));
		}

	}

	private OnHost on(String host) throws Exception {
		return new OnHost(host);
	}

}

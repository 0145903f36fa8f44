package org.imageferry.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;

class IdentityTests {

	private SimulatorClient client;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void apiKeyCredentialsGiveATokenAndACatalogOfEveryRegion() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response r = this.client.authenticate(SimulatorClient.apiKeyAuth("alice", "alice-api-key"));

		// then
		assertThat(r.status()).isEqualTo(200);
		JsonNode access = r.json().path("access");
		assertThat(access.path("token").path("id").asText()).isNotEmpty();
		assertThat(Instant.parse(access.path("token").path("expires").asText())).isAfter(Instant.now());
		assertThat(access.path("token").path("tenant").path("id").asText()).isEqualTo(ALICE);
		assertThat(access.path("user").path("name").asText()).isEqualTo("alice");
		assertCatalog(access.path("serviceCatalog"));
	}

	@Test
	void passwordCredentialsGiveTheSameCatalog() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response r = this.client.authenticate(SimulatorClient.passwordAuth("alice", "alice-password"));

		// then
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.json().path("access").path("token").path("tenant").path("id").asText()).isEqualTo(ALICE);
		assertCatalog(r.json().path("access").path("serviceCatalog"));
	}

	private void assertCatalog(JsonNode catalog) {
		JsonNode images = service(catalog, "cloudImages");
		JsonNode files = service(catalog, "cloudFiles");
		assertThat(images.path("type").asText()).isEqualTo("image");
		assertThat(files.path("type").asText()).isEqualTo("object-store");
		List<String> imageRegions = new ArrayList<>();
		images.path("endpoints").forEach((e) -> {
			imageRegions.add(e.path("region").asText());
			assertThat(e.path("tenantId").asText()).isEqualTo(ALICE);
			assertThat(e.path("publicURL").asText()).isEqualTo(this.client.cloud.imagesUrl(e.path("region").asText()));
		});
		List<String> fileRegions = new ArrayList<>();
		files.path("endpoints").forEach((e) -> {
			String region = e.path("region").asText();
			fileRegions.add(region);
			assertThat(e.path("tenantId").asText()).isEqualTo("MossoCloudFS_" + ALICE);
			assertThat(e.path("publicURL").asText()).isEqualTo(this.client.cloud.filesUrl(region, ALICE, false))
				.endsWith("/files/" + region + "/v1/MossoCloudFS_" + ALICE);
			assertThat(e.path("internalURL").asText()).isEqualTo(this.client.cloud.filesUrl(region, ALICE, true))
				.endsWith("/snet/" + region + "/v1/MossoCloudFS_" + ALICE);
		});
		assertThat(imageRegions).containsExactlyInAnyOrder("DFW", "ORD", "IAD");
		assertThat(fileRegions).containsExactlyInAnyOrder("DFW", "ORD", "IAD");
	}

	private static JsonNode service(JsonNode catalog, String name) {
		for (JsonNode service : catalog) {
			if (service.path("name").asText().equals(name)) {
				return service;
			}
		}
		throw new AssertionError("no " + name + " in " + catalog);
	}

	@Test
	void theInternalUrlServesTheSameAccount() {
		// given
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "exports");
		this.client.putObject(ALICE, "exports", "a", new byte[] { 1, 2, 3 });

		// when
		SimulatorClient.Response r = this.client
			.get(this.client.cloud.filesUrl(SimulatorClient.REGION, ALICE, true) + "/exports/a");

		// then
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.body()).containsExactly(1, 2, 3);
	}

	@Test
	void aWrongApiKeyOrPasswordIs401() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response badKey = this.client.authenticate(SimulatorClient.apiKeyAuth("alice", "nope"));
		SimulatorClient.Response badPassword = this.client.authenticate(SimulatorClient.passwordAuth("alice", "nope"));
		SimulatorClient.Response otherUsersKey = this.client
			.authenticate(SimulatorClient.apiKeyAuth("alice", "bob-api-key"));
		SimulatorClient.Response unknownUser = this.client
			.authenticate(SimulatorClient.apiKeyAuth("mallory", "alice-api-key"));

		// then
		assertThat(List.of(badKey, badPassword, otherUsersKey, unknownUser))
			.extracting(SimulatorClient.Response::status)
			.containsOnly(401);
		assertThat(badKey.json().path("unauthorized").path("code").asInt()).isEqualTo(401);
	}

	@Test
	void aMalformedBodyIs400() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response notJson = this.client.authenticate("{\"auth\":");
		SimulatorClient.Response noCredentials = this.client.authenticate("{\"auth\":{}}");
		SimulatorClient.Response empty = this.client.authenticate("");

		// then
		assertThat(notJson.status()).isEqualTo(400);
		assertThat(noCredentials.status()).isEqualTo(400);
		assertThat(empty.status()).isEqualTo(400);
	}

	@Test
	void onlyPostIsAllowedOnTokens() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response r = this.client.call("GET", this.client.cloud.identityUrl() + "/tokens").send();

		// then
		assertThat(r.status()).isEqualTo(405);
	}

	@Test
	void anExpiredTokenIs401FromImagesAndFiles() {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config().tokenTtl(Duration.ofMillis(300)).build());
		this.client.createContainer(ALICE, "exports");
		String token = this.client.token(ALICE);
		assertThat(this.client.call("GET", this.client.images("/images")).token(token).send().status()).isEqualTo(200);

		// when
		SimulatorClient.pause(600);
		SimulatorClient.Response images = this.client.call("GET", this.client.images("/images")).token(token).send();
		SimulatorClient.Response files = this.client.call("GET", this.client.files(ALICE, "/exports"))
			.token(token)
			.send();

		// then
		assertThat(images.status()).isEqualTo(401);
		assertThat(files.status()).isEqualTo(401);
	}

	@Test
	void oneTokenServesEveryRegion() {
		// given
		this.client = SimulatorClient.start();
		String token = this.client.token(ALICE);

		// when
		SimulatorClient.Response ord = this.client.call("GET", this.client.cloud.imagesUrl("ORD") + "/images")
			.token(token)
			.send();
		SimulatorClient.Response iad = this.client.call("GET", this.client.cloud.filesUrl("IAD", ALICE, false))
			.token(token)
			.header("Accept", "application/json")
			.send();

		// then
		assertThat(ord.status()).isEqualTo(200);
		assertThat(iad.status()).isIn(200, 204);
	}

}

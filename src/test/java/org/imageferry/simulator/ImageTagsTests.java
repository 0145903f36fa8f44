package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.BOB;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;

/**
 * {@code PUT} and {@code DELETE /v2/images/{id}/tags/{tag}}, as Rackspace's Cloud Images
 * reference documents them.
 */
class ImageTagsTests {

	private SimulatorClient client;

	private String image;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
		this.image = this.client.cloud.addImage(ImageSeed.of(REGION, ALICE, "web", SyntheticVhd.fixed(MIB, 1))
			.withMetadata(20, 512, List.of("web"), Map.of()));
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	private SimulatorClient.Response tag(String method, String tenant, String tag) {
		return this.client.call(method, this.client.images("/images/" + this.image + "/tags/" + tag)).as(tenant).send();
	}

	private List<String> tags() {
		List<String> tags = new ArrayList<>();
		this.client.get(this.client.images("/images/" + this.image))
			.json()
			.path("tags")
			.forEach((t) -> tags.add(t.asText()));
		return tags;
	}

	@Test
	void putAddsATagOnceAnd204() {
		// when
		SimulatorClient.Response first = tag("PUT", ALICE, "migrated");
		SimulatorClient.Response again = tag("PUT", ALICE, "migrated");

		// then
		assertThat(first.status()).isEqualTo(204);
		assertThat(first.body()).isEmpty();
		assertThat(again.status()).isEqualTo(204);
		assertThat(tags()).containsExactly("web", "migrated");
		assertThat(this.client.get(this.client.images("/images?tag=migrated")).json().path("images"))
			.extracting((i) -> i.path("id").asText())
			.containsExactly(this.image);
	}

	@Test
	void deleteRemovesATagAnd204ThenIs404() {
		// when
		SimulatorClient.Response removed = tag("DELETE", ALICE, "web");
		SimulatorClient.Response absent = tag("DELETE", ALICE, "web");

		// then
		assertThat(removed.status()).isEqualTo(204);
		assertThat(absent.status()).isEqualTo(404);
		assertThat(tags()).isEmpty();
	}

	@Test
	void anotherTenantCannotTagAndAnUnknownImageIs404() {
		// given
		String publicImage = this.client.cloud
			.addImage(ImageSeed.of(REGION, BOB, "bobs", SyntheticVhd.fixed(MIB, 2)).withVisibility("public"));

		// when
		SimulatorClient.Response onPublic = this.client
			.call("PUT", this.client.images("/images/" + publicImage + "/tags/mine"))
			.as(ALICE)
			.send();
		SimulatorClient.Response onPrivate = tag("PUT", BOB, "bobs");
		SimulatorClient.Response unknown = this.client
			.call("PUT", this.client.images("/images/00000000-0000-4000-8000-000000000000/tags/x"))
			.as(ALICE)
			.send();

		// then
		assertThat(onPublic.status()).isEqualTo(403);
		assertThat(onPrivate.status()).isEqualTo(404);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(tags()).containsExactly("web");
	}

	@Test
	void aTagOver255CharactersIs400AndOneOverTheQuotaIs413() {
		// given: the image at Glance's tag quota
		for (int i = 1; i < ImageQuotas.TAGS; i++) {
			assertThat(tag("PUT", ALICE, "t" + i).status()).isEqualTo(204);
		}

		// when
		SimulatorClient.Response tooLong = tag("PUT", ALICE, "x".repeat(256));
		SimulatorClient.Response oneMore = tag("PUT", ALICE, "one-more");
		SimulatorClient.Response existing = tag("PUT", ALICE, "web");

		// then
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(oneMore.status()).isEqualTo(413);
		assertThat(oneMore.text()).contains("Image tag limit exceeded for image " + this.image,
				"Attempted: 129, Maximum: 128");
		assertThat(existing.status()).isEqualTo(204);
		assertThat(tags()).hasSize(ImageQuotas.TAGS).doesNotContain("one-more");
	}

	@Test
	void otherMethodsOnATagAre405() {
		// when
		SimulatorClient.Response get = tag("GET", ALICE, "web");

		// then
		assertThat(get.status()).isEqualTo(405);
	}

}

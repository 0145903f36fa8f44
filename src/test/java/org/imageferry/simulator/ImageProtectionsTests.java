package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.REGION;

/**
 * A customer's JSON patch against Rackspace's protected properties and Glance's quotas:
 * the strict rules refuse what Rackspace's tests expect a 403 for, a refused operation
 * refuses the whole patch, and too many properties or tags are 413.
 */
class ImageProtectionsTests {

	private SimulatorClient client;

	private String image;

	@BeforeEach
	void start() {
		this.client = SimulatorClient.start();
		this.image = this.client.cloud.addImage(ImageSeed.of(REGION, ALICE, "web-01", SyntheticVhd.fixed(MIB, 1)));
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	private void strict() {
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().protectedProperties(true).build());
	}

	private SimulatorClient.Response patch(String ops) {
		return this.client.call("PATCH", this.client.images("/images/" + this.image))
			.as(ALICE)
			.text(ops, Images.PATCH_TYPE)
			.send();
	}

	private static String op(String op, String key, String value) {
		return "{\"op\":\"" + op + "\",\"path\":\"/" + key + "\"" + ((value != null) ? ",\"value\":" + value : "")
				+ "}";
	}

	private JsonNode current() {
		return this.client.get(this.client.images("/images/" + this.image)).json();
	}

	@ParameterizedTest
	@ValueSource(strings = { "image_type", "os_type", "user_id", "org.openstack__1__os_distro",
			"org.openstack__1__os_version", "org.openstack__1__architecture", "com.rackspace__1__source" })
	void strictRulesRefuseReplacingOrRemovingAProtectedProperty(String key) {
		// given: the seed carries every one of these
		strict();
		JsonNode before = current();
		assertThat(before.has(key)).isTrue();

		// when
		SimulatorClient.Response replace = patch("[" + op("replace", key, "\"x\"") + "]");
		SimulatorClient.Response remove = patch("[" + op("remove", key, null) + "]");

		// then
		assertThat(replace.status()).isEqualTo(403);
		assertThat(replace.text()).contains("Attribute '" + key + "' is reserved.");
		assertThat(remove.status()).isEqualTo(403);
		assertThat(current()).isEqualTo(before);
	}

	@Test
	void strictRulesRefuseAddingAProtectedPropertyAndChangingVisibility() {
		// given: an image without os_type (the friendly rules let it go)
		assertThat(patch("[" + op("remove", "os_type", null) + "]").status()).isEqualTo(200);
		strict();

		// when
		SimulatorClient.Response add = patch("[" + op("add", "os_type", "\"windows\"") + "]");
		SimulatorClient.Response visibility = patch("[" + op("replace", "visibility", "\"public\"") + "]");

		// then
		assertThat(add.status()).isEqualTo(403);
		assertThat(add.text()).contains("Attribute 'os_type' is reserved.");
		assertThat(visibility.status()).isEqualTo(403);
		assertThat(current().has("os_type")).isFalse();
		assertThat(current().path("visibility").asText()).isEqualTo("private");
	}

	@Test
	void strictRulesAllowWhatRackspacesTestsAllow() {
		// given
		strict();
		String ops = "[" + op("replace", "name", "\"web-02\"") + "," + op("replace", "min_disk", "40") + ","
				+ op("replace", "min_ram", "1024") + "," + op("replace", "auto_disk_config", "\"True\"") + ","
				+ op("replace", "protected", "true") + "," + op("replace", "tags", "[\"a\",\"b\"]") + ","
				+ op("add", "image_ferry_source", "\"DFW:x\"") + "]";

		// when
		SimulatorClient.Response r = patch(ops);

		// then
		assertThat(r.status()).as(r.text()).isEqualTo(200);
		assertThat(r.json().path("name").asText()).isEqualTo("web-02");
		assertThat(r.json().path("min_disk").asInt()).isEqualTo(40);
		assertThat(r.json().path("min_ram").asInt()).isEqualTo(1024);
		assertThat(r.json().path("auto_disk_config").asText()).isEqualTo("True");
		assertThat(r.json().path("protected").asBoolean()).isTrue();
		assertThat(r.json().path("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
		assertThat(r.json().path("image_ferry_source").asText()).isEqualTo("DFW:x");
	}

	@Test
	void oneProtectedKeyRefusesTheWholePatch() {
		// given
		strict();
		JsonNode before = current();
		String ops = "[" + op("replace", "name", "\"renamed\"") + "," + op("add", "app", "\"web\"") + ","
				+ op("replace", "os_type", "\"windows\"") + "]";

		// when
		SimulatorClient.Response r = patch(ops);

		// then
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.text()).contains("Attribute 'os_type' is reserved.");
		assertThat(current()).isEqualTo(before);
	}

	@Test
	void theFriendlyRulesAllowWhatTheStrictOnesRefuseButNeverRackspacesOwnOrCoreFields() {
		// given: the default rules

		// when
		SimulatorClient.Response strictOnly = patch("[" + op("replace", "os_type", "\"windows\"") + ","
				+ op("replace", "org.openstack__1__os_version", "\"24.04\"") + ","
				+ op("replace", "visibility", "\"shared\"") + "]");
		List<SimulatorClient.Response> always = new ArrayList<>();
		for (String key : List.of("com.rackspace__1__options", "owner", "location", "deleted", "size", "checksum",
				"created_at", "updated_at", "id", "status", "self", "file", "schema", "virtual_size")) {
			always.add(patch("[" + op("replace", key, "\"0\"") + "]"));
		}

		// then
		assertThat(strictOnly.status()).as(strictOnly.text()).isEqualTo(200);
		assertThat(strictOnly.json().path("os_type").asText()).isEqualTo("windows");
		assertThat(always).extracting(SimulatorClient.Response::status).containsOnly(403);
		assertThat(always.get(1).text()).contains("Owner can't be updated by non admin.");
		assertThat(always.get(2).text()).contains("Attribute 'location' is reserved.");
		assertThat(always.get(4).text()).contains("Attribute 'size' is read-only.");
	}

	@Test
	void morePropertiesThanGlancesQuotaIs413AndChangesNothing() {
		// given: the image's own properties plus enough custom ones to reach 128
		int own = this.client.cloud.inspect().images().get(0).properties().size();
		StringBuilder upTo = new StringBuilder("[");
		for (int i = own; i < ImageQuotas.PROPERTIES; i++) {
			upTo.append((i > own) ? "," : "").append(op("add", "p" + i, "\"v\""));
		}
		assertThat(patch(upTo.append("]").toString()).status()).isEqualTo(200);
		JsonNode full = current();

		// when
		SimulatorClient.Response oneMore = patch(
				"[" + op("replace", "name", "\"renamed\"") + "," + op("add", "one_more", "\"v\"") + "]");
		SimulatorClient.Response replaceAtQuota = patch("[" + op("replace", "p" + own, "\"w\"") + "]");

		// then
		assertThat(oneMore.status()).isEqualTo(413);
		assertThat(oneMore.text()).contains(
				"The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128");
		assertThat(replaceAtQuota.status()).isEqualTo(200);
		assertThat(current().path("name").asText()).isEqualTo("web-01");
		assertThat(current().has("one_more")).isFalse();
		assertThat(full.path("p" + own).asText()).isEqualTo("v");
	}

	@Test
	void moreTagsThanGlancesQuotaIs413() {
		// given
		List<String> tags = new ArrayList<>();
		for (int i = 0; i <= ImageQuotas.TAGS; i++) {
			tags.add("\"t" + i + "\"");
		}

		// when
		SimulatorClient.Response tooMany = patch("[" + op("replace", "tags", tags.toString()) + "]");
		SimulatorClient.Response atQuota = patch(
				"[" + op("replace", "tags", tags.subList(0, ImageQuotas.TAGS).toString()) + "]");

		// then
		assertThat(tooMany.status()).isEqualTo(413);
		assertThat(tooMany.text()).contains("Attempted: 129, Maximum: 128");
		assertThat(atQuota.status()).isEqualTo(200);
		assertThat(current().path("tags")).hasSize(ImageQuotas.TAGS);
	}

	@Test
	void theProtectionsFollowTheRulesWhileTheCloudRuns() {
		// given
		Map<Boolean, Integer> statuses = new LinkedHashMap<>();

		// when
		strict();
		statuses.put(true, patch("[" + op("replace", "os_type", "\"windows\"") + "]").status());
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().protectedProperties(false).build());
		statuses.put(false, patch("[" + op("replace", "os_type", "\"windows\"") + "]").status());

		// then
		assertThat(statuses).containsEntry(true, 403).containsEntry(false, 200);
	}

}

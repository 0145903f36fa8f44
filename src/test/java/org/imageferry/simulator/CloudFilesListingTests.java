package org.imageferry.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;

/**
 * Container and account listings as Swift cuts them: {@code delimiter} folds names into
 * {@code subdir} entries, names come in the order of their UTF-8 bytes (which is not
 * Java's), {@code marker} and {@code end_marker} compare the same way, and
 * {@code reverse=true} walks backwards.
 */
class CloudFilesListingTests {

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

	private SimulatorClient.Response get(String path) {
		return this.client.call("GET", this.client.files(ALICE, path)).as(ALICE).send();
	}

	private void put(String... names) {
		for (String name : names) {
			this.client.putObject(ALICE, "c", encode(name), name.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
	}

	private static List<String> names(JsonNode listing) {
		return listing.findValuesAsText("name");
	}

	@Test
	void aDelimiterFoldsNamesIntoSubdirsInJsonAndText() {
		// given
		put("a.txt", "dir/1", "dir/2", "dir/sub/3", "dir2/x", "z");

		// when
		String text = get("/c?delimiter=/").text();
		JsonNode json = get("/c?delimiter=/&format=json").json();
		String under = get("/c?delimiter=/&prefix=dir/").text();
		String firstPage = get("/c?delimiter=/&limit=2").text();
		String nextPage = get("/c?delimiter=/&limit=2&marker=dir/").text();

		// then
		assertThat(text).isEqualTo("a.txt\ndir/\ndir2/\nz\n");
		assertThat(json).hasSize(4);
		assertThat(json.get(0).path("name").asText()).isEqualTo("a.txt");
		assertThat(json.get(0).path("bytes").asLong()).isEqualTo(5);
		assertThat(json.get(1).toString()).isEqualTo("{\"subdir\":\"dir/\"}");
		assertThat(json.get(2).toString()).isEqualTo("{\"subdir\":\"dir2/\"}");
		assertThat(json.get(3).path("name").asText()).isEqualTo("z");
		assertThat(under).isEqualTo("dir/1\ndir/2\ndir/sub/\n");
		assertThat(firstPage).isEqualTo("a.txt\ndir/\n");
		assertThat(nextPage).isEqualTo("dir2/\nz\n");
	}

	@Test
	void namesAreInTheOrderOfTheirUtf8BytesAndMarkersCompareTheSameWay() {
		// given: U+FF5A (3 bytes, EF BD 9A) sorts before U+1F600 (4 bytes, F0 ...),
		// although
		// Java's UTF-16 order puts the emoji's surrogates (D83D) first
		put("a", "B", "\u00e9", "\uff5a", "\ud83d\ude00", "Z");

		// when
		JsonNode all = get("/c?format=json").json();
		JsonNode afterWide = get("/c?format=json&marker=" + encode("\uff5a")).json();
		JsonNode beforeEmoji = get("/c?format=json&end_marker=" + encode("\ud83d\ude00")).json();

		// then
		assertThat(names(all)).containsExactly("B", "Z", "a", "\u00e9", "\uff5a", "\ud83d\ude00");
		assertThat(names(afterWide)).containsExactly("\ud83d\ude00");
		assertThat(names(beforeEmoji)).containsExactly("B", "Z", "a", "\u00e9", "\uff5a");
	}

	@Test
	void reverseWalksBackwardsWithTheMarkerAsItsUpperBound() {
		// given
		put("a", "b", "c", "d/1", "d/2", "e");

		// when
		String reversed = get("/c?reverse=true").text();
		String belowMarker = get("/c?reverse=true&marker=c").text();
		String aboveEndMarker = get("/c?reverse=true&end_marker=c").text();
		String folded = get("/c?reverse=true&delimiter=/&limit=3").text();
		String underPrefix = get("/c?reverse=true&prefix=d/").text();

		// then
		assertThat(reversed).isEqualTo("e\nd/2\nd/1\nc\nb\na\n");
		assertThat(belowMarker).isEqualTo("b\na\n");
		assertThat(aboveEndMarker).isEqualTo("e\nd/2\nd/1\n");
		assertThat(folded).isEqualTo("e\nd/\nc\n");
		assertThat(underPrefix).isEqualTo("d/2\nd/1\n");
	}

	@Test
	void aLimitAboveTenThousandOrALongDelimiterIs412AndALimitThatIsNoNumberIsIgnored() {
		// given
		put("o");

		// when
		SimulatorClient.Response tooMany = get("/c?limit=10001");
		SimulatorClient.Response longDelimiter = get("/c?delimiter=ab");
		SimulatorClient.Response notANumber = get("/c?limit=many");

		// then
		assertThat(tooMany.status()).isEqualTo(412);
		assertThat(tooMany.text()).isEqualTo("Maximum limit is 10000");
		assertThat(longDelimiter.status()).isEqualTo(412);
		assertThat(longDelimiter.text()).isEqualTo("Bad delimiter");
		assertThat(notANumber.status()).isEqualTo(200);
		assertThat(notANumber.text()).isEqualTo("o\n");
	}

	@Test
	void theAccountListingFoldsContainerNamesToo() {
		// given
		for (String name : List.of("logs-2026", "logs-2027", "images")) {
			this.client.createContainer(ALICE, name);
		}

		// when
		String text = get("?delimiter=-").text();
		JsonNode json = get("?delimiter=-&format=json").json();

		// then
		assertThat(text).isEqualTo("c\nimages\nlogs-\n");
		assertThat(json.get(2).toString()).isEqualTo("{\"subdir\":\"logs-\"}");
		assertThat(json.get(0).path("count").asInt()).isZero();
	}

}

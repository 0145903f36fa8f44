package org.imageferry.simulator;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.REGION;

/**
 * What a Swift client reads beyond the data: times in Swift's formats, errors in Swift's
 * words, the capabilities at {@code /info}, and bulk delete only where it is offered.
 */
class CloudFilesSwiftDetailsTests {

	/** The 4th: RFC_1123_DATE_TIME would write "Fri, 4 Dec 2026". */
	private static final Instant FOURTH = Instant.parse("2026-12-04T17:28:35.25Z");

	private SimulatorClient client;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
	}

	private SimulatorClient.Response send(String method, String path) {
		return this.client.call(method, this.client.files(ALICE, path)).as(ALICE).send();
	}

	/** The capabilities URL as clients derive it from the storage URL. */
	private String infoUrl(boolean serviceNet) {
		return URI.create(this.client.cloud.filesUrl(REGION, ALICE, serviceNet) + "/").resolve("../../info").toString();
	}

	@Test
	void timesAreWrittenInSwiftsFormatsWithATwoDigitDay() {
		// given
		this.client = SimulatorClient
			.start(SimulatorClient.config().clock(Clock.fixed(FOURTH, ZoneOffset.UTC)).build());
		this.client.createContainer(ALICE, "c");

		// when
		SimulatorClient.Response put = this.client.call("PUT", this.client.files(ALICE, "/c/o"))
			.as(ALICE)
			.body(new byte[] { 1 })
			.send();
		SimulatorClient.Response head = send("HEAD", "/c/o");
		JsonNode listing = send("GET", "/c?format=json").json();

		// then: Last-Modified rounded up to the second, as Swift's Timestamp.ceil()
		assertThat(put.header("Last-Modified")).isEqualTo("Fri, 04 Dec 2026 17:28:36 GMT");
		assertThat(head.header("Last-Modified")).isEqualTo("Fri, 04 Dec 2026 17:28:36 GMT");
		assertThat(head.header("X-Timestamp")).isEqualTo("1796405315.25000");
		assertThat(listing.get(0).path("last_modified").asText()).isEqualTo("2026-12-04T17:28:35.250000");
	}

	@Test
	void aTimeOnAWholeSecondIsNotRoundedAndKeepsSixFractionDigitsInListings() {
		// given
		Instant whole = Instant.parse("2026-03-04T00:00:00Z");

		// when
		String header = SwiftTime.httpDate(whole);
		String listed = SwiftTime.listingDate(whole);
		String timestamp = SwiftTime.timestamp(whole.plusNanos(123_456_789));

		// then
		assertThat(header).isEqualTo("Wed, 04 Mar 2026 00:00:00 GMT");
		assertThat(listed).isEqualTo("2026-03-04T00:00:00.000000");
		assertThat(timestamp).isEqualTo("1772582400.12345");
	}

	@Test
	void errorsAreSwiftsShortHtmlPageOrItsOwnText() {
		// given
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "c");
		this.client.putObject(ALICE, "c", "o", new byte[1]);

		// when
		SimulatorClient.Response missing = send("GET", "/c/none");
		SimulatorClient.Response noToken = this.client.call("GET", this.client.files(ALICE, "/c")).send();
		SimulatorClient.Response notEmpty = send("DELETE", "/c");
		SimulatorClient.Response method = send("PUT", "");
		SimulatorClient.Response longName = send("PUT", "/c/" + "x".repeat(1025));

		// then
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
		assertThat(missing.text()).isEqualTo("<html><h1>Not Found</h1><p>The resource could not be found.</p></html>");
		assertThat(noToken.status()).isEqualTo(401);
		assertThat(noToken.text()).isEqualTo("<html><h1>Unauthorized</h1><p>This server could not verify that you "
				+ "are authorized to access the document you requested.</p></html>");
		assertThat(notEmpty.status()).isEqualTo(409);
		assertThat(notEmpty.text()).isEqualTo(
				"<html><h1>Conflict</h1><p>There was a conflict when trying to complete your request.</p></html>");
		assertThat(method.status()).isEqualTo(405);
		assertThat(method.text()).startsWith("<html><h1>Method Not Allowed</h1>");
		assertThat(longName.status()).isEqualTo(400);
		assertThat(longName.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
		assertThat(longName.text()).isEqualTo("Object name length of 1025 longer than 1024");
	}

	@Test
	void infoStatesTheLimitsAndBulkDeleteWithoutAToken() {
		// given
		this.client = SimulatorClient.start();

		// when
		SimulatorClient.Response info = this.client.call("GET", infoUrl(false)).send();
		SimulatorClient.Response serviceNet = this.client.call("GET", infoUrl(true)).send();
		SimulatorClient.Response post = this.client.call("POST", infoUrl(false)).send();

		// then
		assertThat(infoUrl(false)).isEqualTo(this.client.cloud.baseUrl() + "/files/" + REGION + "/info");
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.header("Content-Type")).startsWith("application/json");
		JsonNode swift = info.json().path("swift");
		assertThat(swift.path("max_file_size").asLong()).isEqualTo(5 * SimulatorConfig.GIB + 2);
		assertThat(swift.path("max_object_name_length").asInt()).isEqualTo(1024);
		assertThat(swift.path("max_container_name_length").asInt()).isEqualTo(256);
		assertThat(swift.path("container_listing_limit").asInt()).isEqualTo(10_000);
		assertThat(swift.path("max_meta_count").asInt()).isEqualTo(90);
		JsonNode slo = info.json().path("slo");
		assertThat(slo.path("max_manifest_segments").asInt()).isEqualTo(1000);
		assertThat(slo.path("min_segment_size").asLong()).isEqualTo(1024 * 1024);
		assertThat(info.json().path("bulk_delete").path("max_deletes_per_request").asInt()).isEqualTo(10_000);
		assertThat(info.json().has("tempurl") || info.json().has("bulk_upload") || info.json().has("ratelimit"))
			.isFalse();
		assertThat(serviceNet.json()).isEqualTo(info.json());
		assertThat(post.status()).isEqualTo(405);
	}

	@Test
	void withoutBulkDeleteTheAccountAnswers405AndInfoDoesNotListIt() {
		// given
		this.client = SimulatorClient
			.start(SimulatorClient.config().rules(Rules.builder().bulkDelete(false).build()).build());
		this.client.createContainer(ALICE, "c");
		this.client.putObject(ALICE, "c", "o", new byte[1]);

		// when
		SimulatorClient.Response delete = this.client.call("DELETE", this.client.files(ALICE, "?bulk-delete"))
			.as(ALICE)
			.text("/c/o\n", "text/plain")
			.send();
		SimulatorClient.Response post = this.client.call("POST", this.client.files(ALICE, "?bulk-delete"))
			.as(ALICE)
			.text("/c/o\n", "text/plain")
			.send();
		JsonNode info = this.client.call("GET", infoUrl(false)).send().json();
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().bulkDelete(true).build());
		SimulatorClient.Response offered = this.client.call("DELETE", this.client.files(ALICE, "?bulk-delete"))
			.as(ALICE)
			.text("/c/o\n", "text/plain")
			.send();
		JsonNode infoOffered = this.client.call("GET", infoUrl(false)).send().json();

		// then
		assertThat(delete.status()).isEqualTo(405);
		assertThat(delete.text()).startsWith("<html><h1>Method Not Allowed</h1>");
		assertThat(post.status()).isEqualTo(405);
		assertThat(info.has("bulk_delete")).isFalse();
		assertThat(offered.status()).isEqualTo(200);
		assertThat(offered.text()).contains("Number Deleted: 1");
		assertThat(infoOffered.has("bulk_delete")).isTrue();
		assertThat(send("HEAD", "/c/o").status()).isEqualTo(404);
	}

}

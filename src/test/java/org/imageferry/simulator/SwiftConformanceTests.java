package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.imageferry.testsupport.Backend;
import org.imageferry.testsupport.SimulatedSwift;
import org.imageferry.testsupport.SwiftBackend;
import org.imageferry.testsupport.SwiftHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Cloud Files against a real Swift: the same plain HTTP requests go to
 * both, and the answers must be what Swift 2.30 (Debian's) answers — status codes, the
 * headers clients read, the shapes of bodies. Each behaviour is its own test, so a
 * difference names itself; the expected values were observed on the real Swift first.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class SwiftConformanceTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** An HTTP-date as RFC 9110 has it, the day of the month in two digits. */
	private static final String HTTP_DATE = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

	@Parameter
	Backend backend;

	private SwiftBackend swift;

	private SwiftHttp http;

	private String container;

	@BeforeEach
	void start() throws Exception {
		this.swift = this.backend.open(1024 * 1024);
		this.http = this.swift.sourceHttp();
		this.container = "/" + this.swift.sourceContainer();
	}

	@AfterEach
	void stop() {
		this.swift.close();
	}

	@Test
	void lastModifiedIsAnHttpDateWithATwoDigitDay() {
		// given
		put("object", "hello");

		// when
		SwiftHttp.Response head = send("HEAD", "/object");
		SwiftHttp.Response get = send("GET", "/object");

		// then
		for (SwiftHttp.Response answer : List.of(head, get)) {
			assertThat(answer.header("Last-Modified")).matches(HTTP_DATE);
			DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
				.parse(answer.header("Last-Modified"));
		}
	}

	@Test
	void aListingSortsNamesByTheirUtf8Bytes() {
		// given: case, '-' '.' '/' and ' ', and non-ASCII, where UTF-8's order is not
		// Java's (U+FF21 sorts before U+1F600 in UTF-8, after it in UTF-16)
		List<String> names = List.of("b", "B", "a", "A", "a-b", "a/b", "a/c", "a-c", "é", "z", "ä", "a b", "ab", "Z",
				"~", "a.b", "\uD83D\uDE00", "\uFF21");
		names.forEach((name) -> put(name, "x"));

		// when
		String plain = send("GET", "").text();
		JsonNode json = send("GET", "?format=json").json();

		// then
		List<String> expected = List.of("A", "B", "Z", "a", "a b", "a-b", "a-c", "a.b", "a/b", "a/c", "ab", "b", "z",
				"~", "ä", "é", "\uFF21", "\uD83D\uDE00");
		assertThat(plain).isEqualTo(String.join("\n", expected) + "\n");
		assertThat(json).extracting((entry) -> entry.path("name").asText()).containsExactlyElementsOf(expected);
	}

	@Test
	void aDelimiterRollsNamesUpIntoSubdirLinesInPlainText() {
		// given
		List.of("a/b", "a/c", "a-b", "b").forEach((name) -> put(name, "x"));

		// when
		String top = send("GET", "?delimiter=/").text();
		String inside = send("GET", "?delimiter=/&prefix=a/").text();

		// then
		assertThat(top).isEqualTo("a-b\na/\nb\n");
		assertThat(inside).isEqualTo("a/b\na/c\n");
	}

	@Test
	void aDelimiterRollsNamesUpIntoSubdirEntriesInJson() {
		// given
		List.of("a/b", "a/c", "a-b", "b").forEach((name) -> put(name, "x"));

		// when
		JsonNode top = send("GET", "?delimiter=/&format=json").json();

		// then
		assertThat(top).hasSize(3);
		assertThat(top.get(0).path("name").asText()).isEqualTo("a-b");
		assertThat(top.get(1)).isEqualTo(JSON.createObjectNode().put("subdir", "a/"));
		assertThat(top.get(2).path("name").asText()).isEqualTo("b");
	}

	@Test
	void infoListsTheClustersCapabilitiesWithoutAToken() throws Exception {
		// when
		java.net.http.HttpResponse<String> info = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(this.http.info()).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());

		// then
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = JSON.readTree(info.body());
		assertThat(body.path("swift").path("version").isTextual()).isTrue();
		assertThat(body.path("swift").path("max_file_size").asLong()).isEqualTo(5_368_709_122L);
		assertThat(body.path("swift").path("container_listing_limit").asInt()).isEqualTo(10_000);
		assertThat(body.path("slo").path("max_manifest_segments").asInt()).isEqualTo(1000);
		assertThat(body.path("bulk_delete").path("max_deletes_per_request").asInt()).isEqualTo(10_000);
	}

	@Test
	void postReplacesAnObjectsMetadataAndLeavesItsBytes() {
		// given
		put("object", "hello", "X-Object-Meta-Old", "1");

		// when
		SwiftHttp.Response post = send("POST", "/object", null, "X-Object-Meta-Colour", "blue");

		// then
		assertThat(post.status()).isEqualTo(202);
		SwiftHttp.Response head = send("HEAD", "/object");
		assertThat(head.header("X-Object-Meta-Colour")).isEqualTo("blue");
		assertThat(head.header("X-Object-Meta-Old")).isNull();
		assertThat(head.header("ETag")).isEqualTo(SimulatedSwift.md5(bytes("hello")));
		assertThat(send("GET", "/object").text()).isEqualTo("hello");
	}

	@Test
	void copyWithADestinationCopiesTheBytes() {
		// given
		put("object", "hello");

		// when
		SwiftHttp.Response copy = send("COPY", "/object", null, "Destination", this.container.substring(1) + "/copy");

		// then
		assertThat(copy.status()).isEqualTo(201);
		assertThat(send("GET", "/copy").text()).isEqualTo("hello");
		assertThat(copy.header("ETag")).isEqualTo(SimulatedSwift.md5(bytes("hello")));
		assertThat(copy.header("X-Copied-From")).isEqualTo(this.container.substring(1) + "/object");
	}

	@Test
	void putWithXCopyFromCopiesTheBytes() {
		// given
		put("object", "hello");

		// when
		SwiftHttp.Response copy = send("PUT", "/copy", new byte[0], "X-Copy-From",
				this.container.substring(1) + "/object");

		// then
		assertThat(copy.status()).isEqualTo(201);
		assertThat(send("GET", "/copy").text()).isEqualTo("hello");
		assertThat(copy.header("ETag")).isEqualTo(SimulatedSwift.md5(bytes("hello")));
		assertThat(copy.header("X-Copied-From")).isEqualTo(this.container.substring(1) + "/object");
	}

	@Test
	void aPutWhoseBodyIsNotItsEtagIs422AndStoresNothing() {
		// when
		SwiftHttp.Response put = send("PUT", "/object", bytes("hello"), "ETag", "00000000000000000000000000000000");

		// then
		assertThat(put.status()).isEqualTo(422);
		assertThat(send("HEAD", "/object").status()).isEqualTo(404);
	}

	@Test
	void aRangeIsAnsweredWith206AndItsContentRange() {
		// given
		put("digits", "0123456789");

		// when
		SwiftHttp.Response middle = send("GET", "/digits", null, "Range", "bytes=2-5");
		SwiftHttp.Response suffix = send("GET", "/digits", null, "Range", "bytes=-3");
		SwiftHttp.Response pastTheEnd = send("GET", "/digits", null, "Range", "bytes=8-30");

		// then
		assertThat(List.of(middle.status(), suffix.status(), pastTheEnd.status())).containsOnly(206);
		assertThat(middle.header("Content-Range")).isEqualTo("bytes 2-5/10");
		assertThat(middle.text()).isEqualTo("2345");
		assertThat(suffix.header("Content-Range")).isEqualTo("bytes 7-9/10");
		assertThat(suffix.text()).isEqualTo("789");
		assertThat(pastTheEnd.header("Content-Range")).isEqualTo("bytes 8-9/10");
		assertThat(pastTheEnd.text()).isEqualTo("89");
	}

	@Test
	void aRangeBeyondTheObjectIs416WithItsLength() {
		// given
		put("digits", "0123456789");

		// when
		SwiftHttp.Response beyond = send("GET", "/digits", null, "Range", "bytes=20-30");

		// then
		assertThat(beyond.status()).isEqualTo(416);
		assertThat(beyond.header("Content-Range")).isEqualTo("bytes */10");
	}

	@Test
	void aManifestsEtagIsTheQuotedMd5OfItsSegmentsEtags() {
		// given
		put("image.vhd-00001", "aaaa");
		put("image.vhd-00002", "bbb");

		// when
		SwiftHttp.Response manifest = send("PUT", "/image.vhd", new byte[0], "X-Object-Manifest",
				this.container.substring(1) + "/image.vhd-");

		// then
		assertThat(manifest.status()).isEqualTo(201);
		SwiftHttp.Response head = send("HEAD", "/image.vhd");
		String etags = SimulatedSwift.md5(bytes("aaaa")) + SimulatedSwift.md5(bytes("bbb"));
		assertThat(head.header("ETag")).isEqualTo("\"" + SimulatedSwift.md5(bytes(etags)) + "\"");
		assertThat(head.header("Content-Length")).isEqualTo("7");
		assertThat(head.header("X-Object-Manifest")).isEqualTo(this.container.substring(1) + "/image.vhd-");
		SwiftHttp.Response range = send("GET", "/image.vhd", null, "Range", "bytes=2-5");
		assertThat(range.status()).isEqualTo(206);
		assertThat(range.header("Content-Range")).isEqualTo("bytes 2-5/7");
		assertThat(range.text()).isEqualTo("aabb");
	}

	@Test
	void bulkDeleteAnswersPlainTextByDefault() {
		// given: one object to delete, one already gone, a container that is not empty
		put("gone-soon", "x");
		String full = fullContainer();

		// when
		SwiftHttp.Response answer = bulkDelete(List.of(this.container + "/gone-soon", this.container + "/never", full));

		// then
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).startsWith("text/plain");
		assertThat(answer.text()).isEqualTo("Number Deleted: 1\nNumber Not Found: 1\nResponse Body: \n"
				+ "Response Status: 400 Bad Request\nErrors:\n" + full + ", 409 Conflict\n");
	}

	@Test
	void bulkDeleteAnswersJsonWhenAskedFor() throws IOException {
		// given
		put("gone-soon", "x");
		String full = fullContainer();

		// when
		SwiftHttp.Response answer = bulkDelete(List.of(this.container + "/gone-soon", this.container + "/never", full),
				"Accept", "application/json");

		// then
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).startsWith("application/json");
		assertThat(answer.json())
			.isEqualTo(JSON.readTree("{\"Response Status\": \"400 Bad Request\", \"Response Body\":"
					+ " \"\", \"Number Deleted\": 1, \"Number Not Found\": 1, \"Errors\": [[\"" + full
					+ "\", \"409 Conflict\"]]}"));
	}

	@Test
	void aPutWithABadTokenIsRefusedAtOnceWithoutA100Continue() throws IOException {
		// given
		URI url = URI.create(this.http.storageUrl() + this.container + "/big");

		// when: the headers ask whether to send a megabyte, and no body follows
		String answer;
		try (Socket socket = new Socket(url.getHost(), url.getPort())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("PUT " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nX-Auth-Token: bogus\r\n"
					+ "Content-Length: 1048576\r\nExpect: 100-continue\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
		}

		// then
		assertThat(answer).isEqualTo("HTTP/1.1 401");
	}

	@Test
	void listingJsonEntriesCarryHashLastModifiedBytesNameAndContentType() {
		// given
		put("object", "hello", "Content-Type", "application/x-test");

		// when
		JsonNode entry = send("GET", "?format=json").json().get(0);

		// then
		List<String> fields = new ArrayList<>();
		entry.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactlyInAnyOrder("hash", "last_modified", "bytes", "name", "content_type");
		assertThat(entry.path("hash").asText()).isEqualTo(SimulatedSwift.md5(bytes("hello")));
		assertThat(entry.path("last_modified").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
		assertThat(entry.path("bytes").isIntegralNumber()).isTrue();
		assertThat(entry.path("bytes").asLong()).isEqualTo(5);
		assertThat(entry.path("name").asText()).isEqualTo("object");
		assertThat(entry.path("content_type").asText()).isEqualTo("application/x-test");
	}

	/**
	 * A container holding one object, named as a bulk delete names it: {@code /<name>}.
	 */
	private String fullContainer() {
		String full = this.container + "-full";
		assertThat(this.http.send("PUT", full, null).status()).isIn(201, 202);
		assertThat(this.http.send("PUT", full + "/x", bytes("x")).status()).isEqualTo(201);
		return full;
	}

	private SwiftHttp.Response bulkDelete(List<String> paths, String... headers) {
		List<String> all = new ArrayList<>(List.of("Content-Type", "text/plain"));
		all.addAll(List.of(headers));
		return this.http.send("DELETE", "?bulk-delete", bytes(String.join("\n", paths) + "\n"),
				all.toArray(String[]::new));
	}

	private void put(String name, String body, String... headers) {
		assertThat(send("PUT", "/" + SwiftHttp.encode(name), bytes(body), headers).status()).as("PUT " + name)
			.isEqualTo(201);
	}

	private SwiftHttp.Response send(String method, String path, byte[] body, String... headers) {
		return this.http.send(method, this.container + path, body, headers);
	}

	private SwiftHttp.Response send(String method, String path) {
		return send(method, path, null);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}

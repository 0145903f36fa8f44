package org.imageferry.testsupport.realswift;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.imageferry.testsupport.SwiftHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test Swift itself: its two accounts, its logs under {@code target/real-swift/}, its
 * processes written down for a later run to end, and its second proxy without bulk
 * delete, the Swift a client must cope with when {@code GET /info} lists no
 * {@code bulk_delete}.
 */
class RealSwiftTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RealSwift swift = RealSwift.shared();

	@Test
	void theTwoAccountsAreTwoStorageUrlsOnTheProxy() {
		// when
		TempAuth source = this.swift.account(RealSwift.SOURCE);
		TempAuth target = this.swift.account(RealSwift.TARGET);

		// then
		assertThat(source.storageUrl("DFW", false)).isEqualTo(this.swift.proxy().resolve("/v1/AUTH_test"));
		assertThat(target.storageUrl("IAD", false)).isEqualTo(this.swift.proxy().resolve("/v1/AUTH_test2"));
		assertThat(source.token()).isNotEqualTo(target.token());
	}

	@Test
	void everyProcessIsWrittenDownForALaterRunToEndShouldThisJvmBeKilled() throws Exception {
		// given
		Path dir = Path.of("target", "real-swift", Long.toString(ProcessHandle.current().pid())).toAbsolutePath();

		// when
		List<String> pids = Files.readAllLines(dir.resolve("pids"));

		// then: memcached and the four servers (and the second proxy, if a test started
		// it)
		assertThat(pids).hasSizeGreaterThanOrEqualTo(5);
		for (String line : pids) {
			assertThat(ProcessHandle.of(Long.parseLong(line.split(" ")[0]))).as(line)
				.hasValueSatisfying((p) -> assertThat(p.isAlive()).isTrue());
		}
	}

	@Test
	void theProxysAccessLogShowsAClientsRequest() {
		// given
		SwiftHttp.Response head = new SwiftHttp(this.swift.account(RealSwift.SOURCE), "DFW").send("HEAD", "", null);

		// when
		List<ProxyLog.Served> served = this.swift.proxyLog().served();

		// then
		ProxyLog.Served last = served.get(served.size() - 1);
		assertThat(last.method()).isEqualTo("HEAD");
		assertThat(last.account()).isEqualTo("AUTH_test");
		assertThat(last.container()).isNull();
		assertThat(last.status()).isEqualTo(head.status()).isBetween(200, 299);
		assertThat(last.endSeconds()).isGreaterThanOrEqualTo(last.startSeconds());
	}

	@Test
	void theProxyWithoutBulkListsNoBulkDeleteAndRefusesOne() throws Exception {
		// when
		JsonNode full = info(this.swift.proxy());
		JsonNode withoutBulk = info(this.swift.proxyWithoutBulk());
		SwiftHttp.Response bulkDelete = new SwiftHttp(new TempAuth(this.swift.proxyWithoutBulk(), RealSwift.SOURCE),
				"DFW")
			.send("DELETE", "?bulk-delete", "/nothing/here\n".getBytes(StandardCharsets.UTF_8), "Content-Type",
					"text/plain", "Accept", "application/json");

		// then
		assertThat(full.has("bulk_delete")).isTrue();
		assertThat(withoutBulk.has("bulk_delete")).isFalse();
		assertThat(withoutBulk.has("swift")).isTrue();
		assertThat(withoutBulk.has("slo")).isTrue();
		assertThat(bulkDelete.status()).isEqualTo(405);
	}

	private static JsonNode info(URI proxy) throws Exception {
		HttpResponse<String> info = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(proxy.resolve("/info")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(info.statusCode()).isEqualTo(200);
		return JSON.readTree(info.body());
	}

}

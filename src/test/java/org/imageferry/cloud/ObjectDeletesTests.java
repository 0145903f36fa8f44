package org.imageferry.cloud;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.Faults;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SwiftClient#deleteAll} against the simulated Cloud Files with Rackspace's strict
 * knobs: the cluster's {@code /info} decides between bulk delete and single DELETEs and
 * is asked once; what the write limit refuses (a bulk delete's paths listed as 429, a
 * DELETE's 429 with {@code Retry-After}) is sent again; a bulk delete refused with 405
 * falls back to single DELETEs; and a container that keeps refusing is given up after one
 * request's retries, what is left answered, not raised.
 */
class ObjectDeletesTests {

	private SimulatedSwift swift;

	@AfterEach
	void stop() {
		if (this.swift != null) {
			this.swift.close();
		}
	}

	@Test
	void infoIsBesideTheAccountPathOfTheStorageUrl() {
		assertThat(ClusterInfo.infoUri(URI.create("https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_abc")))
			.isEqualTo(URI.create("https://storage101.dfw1.clouddrive.com/info"));
		assertThat(ClusterInfo.infoUri(URI.create("http://127.0.0.1:8080/files/DFW/v1/MossoCloudFS_abc")))
			.isEqualTo(URI.create("http://127.0.0.1:8080/files/DFW/info"));
	}

	@Test
	void bulkDeleteIsOfferedByItsKeyInInfoWithItsLimit() throws Exception {
		ObjectMapper json = new ObjectMapper();
		assertThat(ClusterInfo.of(json.readTree("""
				{"swift": {"version": "2.30"}, "bulk_delete": {"max_deletes_per_request": 1000}}""")))
			.isEqualTo(new ClusterInfo(true, 1000));
		assertThat(ClusterInfo.of(json.readTree("{\"bulk_delete\": {}}")))
			.isEqualTo(new ClusterInfo(true, ClusterInfo.BULK_DELETE_MAX));
		assertThat(ClusterInfo.of(json.readTree("{\"swift\": {}, \"slo\": {}}"))).isEqualTo(ClusterInfo.NO_BULK_DELETE);
	}

	@Test
	void infoIsAskedOnceForAllOfAClientsDeletes() throws Exception {
		// given
		start(Rules.builder().build(), Clock.systemUTC());
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND, Retries.none());
		List<String> first = put("a-", 3);
		List<String> second = put("b-", 3);

		// when
		Deletion one = client.deleteAll("exports", first);
		Deletion two = client.deleteAll("exports", second);

		// then
		assertThat(one.complete()).isTrue();
		assertThat(two.complete()).isTrue();
		assertThat(requests("GET", "/files/DFW/info")).hasSize(1);
		assertThat(this.swift.dfw.list("exports", "")).isEmpty();
	}

	@Test
	void pathsABulkDeleteListsAs429AreSentAgainUntilAllAreGone() throws Exception {
		// given: 60 objects, a container that takes 20 writes a second, a client unpaced
		start(Rules.builder().build(), Clock.systemUTC());
		List<String> objects = put("seg-", 60);
		limitWrites(true, 20);
		SwiftClient client = client(1000,
				new Retries(10, Duration.ofMillis(300), Duration.ofSeconds(1), CloudObserver.NONE));

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		assertThat(this.swift.dfw.list("exports", "")).isEmpty();
		assertThat(bulkDeletes()).as("bulk deletes, the first one refusing 40 paths").hasSizeGreaterThanOrEqualTo(3);
		assertThat(this.swift.inspect().deletedObjects()).hasSize(60);
	}

	@Test
	void withoutBulkDeleteEachObjectHasItsDeleteAndA429IsWaitedOut() throws Exception {
		// given: a cluster without bulk delete, 10 writes a second, a client unpaced
		start(Rules.builder().build(), Clock.systemUTC());
		List<String> objects = put("seg-", 30);
		limitWrites(false, 10);
		SwiftClient client = client(1000,
				new Retries(4, Duration.ofMillis(10), Duration.ofMillis(100), CloudObserver.NONE));

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		assertThat(this.swift.dfw.list("exports", "")).isEmpty();
		assertThat(bulkDeletes()).isEmpty();
		List<Inspection.RequestView> deletes = requests("DELETE", "/files/DFW/v1/");
		assertThat(deletes).filteredOn((r) -> r.status() == 204).hasSize(30);
		assertThat(deletes).as("DELETEs the write limit refused").anyMatch((r) -> r.status() == 429);
	}

	@Test
	void deletesInAContainerThatPushedBackArePacedUnderItsLimit() throws Exception {
		// given: a container that takes 100 writes a second, more objects than that
		start(Rules.builder().build(), Clock.systemUTC());
		List<String> objects = put("seg-", 230);
		limitWrites(false, 100);
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND,
				new Retries(5, Duration.ofMillis(10), Duration.ofMillis(100), CloudObserver.NONE));

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then: all gone; the first 429 made the client keep a pace of 50 a second there,
		// so the refusals stop once the limit's window has passed
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		List<Inspection.RequestView> deletes = requests("DELETE", "/files/DFW/v1/");
		assertThat(deletes.stream().filter((r) -> r.status() == 204)).hasSize(230);
		Instant firstRefusal = deletes.stream()
			.filter((r) -> r.status() == 429)
			.map(Inspection.RequestView::at)
			.findFirst()
			.orElseThrow(() -> new AssertionError("the container never pushed back"));
		assertThat(deletes).filteredOn((r) -> r.at().isAfter(firstRefusal.plusSeconds(2)))
			.isNotEmpty()
			.allMatch((r) -> r.status() == 204);
	}

	@Test
	void aFailureThatIsNoPushBackLeavesTheContainerUnpaced() throws Exception {
		// given: /info read; a bulk delete answered 503 twice (its retry spent), then
		// the cloud well again
		start(Rules.builder().build(), Clock.systemUTC());
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND,
				new Retries(1, Duration.ofMillis(10), Duration.ofMillis(10), CloudObserver.NONE));
		assertThat(client.bulkDelete()).isTrue();
		List<String> first = put("a-", 3);
		List<String> later = put("b-", 3 * SwiftClient.DELETES_PER_SECOND);
		this.swift.cloud.faults(Faults.builder().serviceUnavailableRate(1).retryAfter(Duration.ZERO).build());
		Deletion failed = client.deleteAll("exports", first);
		this.swift.cloud.faults(Faults.none());

		// when
		Deletion deletion = client.deleteAll("exports", later);

		// then: all of the later ones in one bulk delete, as fast as before: a paced
		// container takes a second's worth of paths per request, a second apart
		assertThat(failed.left()).containsExactlyElementsOf(first);
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		// the simulator logs a request once its answer is sent: the last may lag a little
		long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (bulkDeletes().stream().noneMatch((r) -> r.status() == 200) && System.nanoTime() < end) {
			Thread.sleep(20);
		}
		Thread.sleep(300);
		assertThat(bulkDeletes()).extracting(Inspection.RequestView::status).containsExactly(503, 503, 200);
	}

	@Test
	void aBulkDeleteRefusedWith405ThoughInfoOfferedItFallsBackToSingleDeletes() throws Exception {
		// given: /info read while bulk delete was offered, then the middleware gone
		start(Rules.builder().build(), Clock.systemUTC());
		List<String> objects = put("seg-", 5);
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND, Retries.none());
		assertThat(client.bulkDelete()).isTrue();
		limitWrites(false, 0);

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then
		assertThat(deletion.complete()).as(String.valueOf(deletion)).isTrue();
		assertThat(bulkDeletes()).extracting(Inspection.RequestView::status).containsExactly(405);
		assertThat(requests("DELETE", "/files/DFW/v1/")).filteredOn((r) -> r.status() == 204).hasSize(5);
		assertThat(client.bulkDelete()).isFalse();
	}

	@Test
	void aContainerThatKeepsRefusingIsGivenUpAfterOneDeletesRetriesAndTheRestIsAnswered() throws Exception {
		// given: the cloud's clock stands still, so a container at its limit stays there
		start(Rules.builder().build(), Clock.fixed(Instant.now(), ZoneOffset.UTC));
		List<String> objects = put("seg-", 10);
		limitWrites(false, 2);
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND,
				new Retries(1, Duration.ofMillis(10), Duration.ofMillis(10), CloudObserver.NONE));

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then: two deleted; of the rest, only those already under way were tried
		assertThat(deletion.left()).hasSize(8).isSubsetOf(objects);
		assertThat(deletion.reason()).contains("429");
		assertThat(this.swift.dfw.list("exports", "")).extracting(ObjectInfo::name)
			.containsExactlyElementsOf(deletion.left());
		assertThat(requests("DELETE", "/files/DFW/v1/").stream().map(Inspection.RequestView::path).distinct())
			.hasSizeLessThanOrEqualTo(2 * ObjectDeletes.CONCURRENCY);
	}

	@Test
	void aBulkDeleteKeepsWhatTheLimitKeepsRefusingAndAnswersIt() throws Exception {
		// given
		start(Rules.builder().build(), Clock.fixed(Instant.now(), ZoneOffset.UTC));
		List<String> objects = put("seg-", 10);
		limitWrites(true, 2);
		SwiftClient client = client(SwiftClient.DELETES_PER_SECOND,
				new Retries(2, Duration.ofMillis(10), Duration.ofMillis(10), CloudObserver.NONE));

		// when
		Deletion deletion = client.deleteAll("exports", objects);

		// then: the first two paths went, the rest was sent three times
		assertThat(deletion.left()).containsExactlyElementsOf(objects.subList(2, 10));
		assertThat(deletion.reason()).contains("429 Too Many Requests");
		assertThat(bulkDeletes()).hasSize(3);
	}

	private void start(Rules rules, Clock clock) throws Exception {
		this.swift = new SimulatedSwift(SimulatorConfig.builder().rules(rules).clock(clock));
	}

	/** Puts {@code count} small objects named {@code <prefix>00001}… in DFW's exports. */
	private List<String> put(String prefix, int count) {
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			names.add(this.swift.put(prefix + "%05d".formatted(i), new byte[] { (byte) i }).name());
		}
		return names;
	}

	/** From now on: bulk delete offered or not, and at most this many writes a second. */
	private void limitWrites(boolean bulkDelete, int writesPerSecond) {
		this.swift.cloud.rules(this.swift.cloud.rules()
			.toBuilder()
			.bulkDelete(bulkDelete)
			.containerWritesPerSecond(writesPerSecond)
			.build());
	}

	private SwiftClient client(int deletesPerSecond, Retries retries) {
		return new SwiftClient(this.swift.session, "DFW", false, HttpClient.newHttpClient(), retries,
				Duration.ofSeconds(10), 10_000, deletesPerSecond);
	}

	private List<Inspection.RequestView> requests(String method, String pathPrefix) {
		return this.swift.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals(method) && r.path().startsWith(pathPrefix))
			.filter((r) -> !r.path().equals(bulkDeletePath()))
			.toList();
	}

	private List<Inspection.RequestView> bulkDeletes() {
		return this.swift.inspect()
			.requests()
			.stream()
			.filter((r) -> r.method().equals("DELETE") && r.path().equals(bulkDeletePath()))
			.toList();
	}

	private String bulkDeletePath() {
		return URI.create(this.swift.cloud.filesUrl("DFW", SimulatedSwift.TENANT, false)).getPath();
	}

}

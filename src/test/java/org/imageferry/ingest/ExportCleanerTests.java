package org.imageferry.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.imageferry.await.Workers;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.StorageAccount;
import org.imageferry.cloud.SwiftClient;
import org.imageferry.ledger.Leftover;
import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.SimulatedSwift;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ExportCleaner} answers as left when deletes keep failing: an image whose
 * manifest was deleted leaves only the segments that stayed; one whose manifest stayed
 * keeps its segments untouched, all listed; an export that could not even be listed is
 * named by its manifest and prefix, and once one listing failed the others are not tried.
 */
class ExportCleanerTests {

	private static final long SEGMENT = 64 * 1024;

	private final Workers workers = new Workers(1, "cleaner-test");

	private SimulatedSwift swift;

	private HttpServer failing;

	@AfterEach
	void stop() {
		this.workers.close();
		if (this.swift != null) {
			this.swift.close();
		}
		if (this.failing != null) {
			this.failing.stop(0);
		}
	}

	@Test
	void aManifestThatStaysKeepsItsSegmentsAndOneThatWentLeavesWhatStayedOfThem() throws Exception {
		// given: two exports; then the cloud's clock stands still and each container
		// takes
		// one write: bulk deletes the first manifest, refuses everything after it
		this.swift = new SimulatedSwift(
				SimulatorConfig.builder().segmentSize(SEGMENT).clock(Clock.fixed(Instant.now(), ZoneOffset.UTC)));
		String first = exported();
		String second = exported();
		this.swift.cloud.rules(Rules.builder().bulkDelete(true).containerWritesPerSecond(1).build());

		// when
		Map<Long, List<Leftover>> left = ExportCleaner.deleteExports(this.swift.sourceSide(), Leftover.End.SOURCE,
				List.of(ExportCleanupTests.row(1, first), ExportCleanupTests.row(2, second)), this.workers);

		// then
		assertThat(left.get(1L)).extracting(Leftover::toString)
			.containsExactly("source DFW exports/" + first + ".vhd-00001", "source DFW exports/" + first + ".vhd-00002",
					"source DFW exports/" + first + ".vhd-00003");
		assertThat(left.get(2L)).extracting(Leftover::toString)
			.containsExactly("source DFW exports/" + second + ".vhd", "source DFW exports/" + second + ".vhd-00001",
					"source DFW exports/" + second + ".vhd-00002", "source DFW exports/" + second + ".vhd-00003");
		assertThat(this.swift.dfw.list("exports", "")).extracting(ObjectInfo::name)
			.containsExactlyInAnyOrderElementsOf(
					left.values().stream().flatMap(List::stream).map(Leftover::object).toList());
	}

	@Test
	void anExportThatCannotBeListedIsLeftAsItsManifestAndPrefixAndTheOthersAreNotTried() throws Exception {
		// given: a Swift that answers 503 to everything
		AtomicInteger requests = new AtomicInteger();
		this.failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.failing.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		this.failing.start();
		URI storage = URI.create("http://127.0.0.1:" + this.failing.getAddress().getPort() + "/v1/AUTH_x");
		SwiftClient files = new SwiftClient(new FixedAccount(storage), "DFW", false, HttpClient.newHttpClient(),
				Retries.none(), Duration.ofSeconds(5));
		Side side = new Side("DFW", null, null, files, "exports");

		// when
		Map<Long, List<Leftover>> left = ExportCleaner.deleteExports(side, Leftover.End.TARGET,
				List.of(ExportCleanupTests.row(1, "a"), ExportCleanupTests.row(2, "b"), ExportCleanupTests.row(3, "c")),
				this.workers);

		// then
		assertThat(left).containsOnlyKeys(1L, 2L, 3L);
		assertThat(left.get(2L)).extracting(Leftover::toString)
			.containsExactly("target DFW exports/b.vhd", "target DFW exports/b.vhd-*");
		assertThat(requests).as("requests: one listing").hasValue(1);
	}

	/** Exports an image of three segments; answers its id. */
	private String exported() throws Exception {
		List<ObjectInfo> segments = this.swift.export(3 * SEGMENT - 512);
		return segments.get(0).name().replaceFirst("\\.vhd-\\d+$", "");
	}

	/** A token and a storage URL that never change. */
	private record FixedAccount(URI storage) implements StorageAccount {

		@Override
		public String token() {
			return "token";
		}

		@Override
		public URI storageUrl(String region, boolean internal) {
			return this.storage;
		}

		@Override
		public void invalidate(String refused) {
		}

	}

}

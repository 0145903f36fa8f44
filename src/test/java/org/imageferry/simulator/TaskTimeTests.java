package org.imageferry.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.MIB;
import static org.imageferry.simulator.SimulatorClient.exportTask;
import static org.imageferry.simulator.SimulatorClient.importTask;

/**
 * A task's time grows with the bytes it moves ({@link Rules#taskTime}): the source
 * image's for an export, the imported object's — a Dynamic Large Object's whole length,
 * not its zero-byte manifest's — for an import. Rates are small so the sizes can be.
 */
class TaskTimeTests {

	/**
	 * 10 MB/s: 24 MiB takes about 2.5 s on top of the fixed 100 ms, 1 MiB about 0.1 s.
	 */
	private static final double RATE = 10;

	private static final Duration LARGE_AT_LEAST = Duration.ofMillis(2_400);

	private SimulatorClient client;

	@BeforeEach
	void start() {
		this.client = SimulatorClient
			.start(SimulatorClient.config().taskLatency(Duration.ofMillis(100), Duration.ofMillis(100)).build());
		this.client.createContainer(ALICE, "exports");
	}

	@AfterEach
	void stop() {
		this.client.close();
	}

	/**
	 * Posts the tasks at once and measures, by polling, how long each takes to end.
	 */
	private Map<String, Duration> timeTasks(Map<String, String> bodies) {
		Map<String, String> ids = new LinkedHashMap<>();
		Map<String, Long> started = new LinkedHashMap<>();
		bodies.forEach((name, body) -> {
			started.put(name, System.nanoTime());
			SimulatorClient.Response created = this.client.postTask(ALICE, body);
			assertThat(created.status()).isEqualTo(201);
			ids.put(name, created.json().path("id").asText());
		});
		Map<String, Duration> took = new LinkedHashMap<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (took.size() < ids.size() && System.nanoTime() < deadline) {
			ids.forEach((name, id) -> {
				if (!took.containsKey(name) && this.client.get(this.client.images("/tasks/" + id))
					.json()
					.path("status")
					.asText()
					.matches("success|failure")) {
					took.put(name, Duration.ofNanos(System.nanoTime() - started.get(name)));
				}
			});
			SimulatorClient.pause(10);
		}
		return took;
	}

	@Test
	void aLargerImagesExportTakesLonger() {
		// given
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().exportMbPerSecond(RATE).build());
		String small = this.client.addImage(ALICE, "small", SyntheticVhd.fixed(MIB, 1));
		String large = this.client.addImage(ALICE, "large", SyntheticVhd.fixed(24 * MIB, 2));

		// when
		Map<String, Duration> took = timeTasks(
				Map.of("small", exportTask(small, "exports"), "large", exportTask(large, "exports")));

		// then
		assertThat(took).containsKeys("small", "large");
		assertThat(took.get("large")).isGreaterThanOrEqualTo(LARGE_AT_LEAST);
		assertThat(took.get("large").minus(took.get("small"))).isGreaterThan(Duration.ofMillis(1_500));
	}

	@Test
	void anImportTakesTheTimeOfTheWholeLargeObject() {
		// given: both images exported (at no rate) as Dynamic Large Objects
		String small = this.client.addImage(ALICE, "small", SyntheticVhd.fixed(MIB, 3));
		String large = this.client.addImage(ALICE, "large", SyntheticVhd.fixed(24 * MIB, 4));
		this.client.runTask(ALICE, exportTask(small, "exports"));
		this.client.runTask(ALICE, exportTask(large, "exports"));
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().importMbPerSecond(RATE).build());

		// when
		Map<String, Duration> took = timeTasks(Map.of("small", importTask("exports/" + small + ".vhd", "s"), "large",
				importTask("exports/" + large + ".vhd", "l")));

		// then
		assertThat(took).containsKeys("small", "large");
		assertThat(took.get("large")).isGreaterThanOrEqualTo(LARGE_AT_LEAST);
		assertThat(took.get("large").minus(took.get("small"))).isGreaterThan(Duration.ofMillis(1_500));
	}

	@Test
	void theRateIsAppliedToTheTaskTypeItIsFor() {
		// given: a slow import rate, no export rate
		this.client.cloud.rules(this.client.cloud.rules().toBuilder().importMbPerSecond(RATE).build());
		String large = this.client.addImage(ALICE, "large", SyntheticVhd.fixed(24 * MIB, 5));

		// when
		Map<String, Duration> took = timeTasks(Map.of("export", exportTask(large, "exports")));

		// then
		assertThat(took.get("export")).isLessThan(LARGE_AT_LEAST);
	}

}

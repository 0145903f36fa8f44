package org.imageferry.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.imageferry.testsupport.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.BOB;
import static org.imageferry.simulator.SimulatorClient.REGION;
import static org.imageferry.simulator.SimulatorClient.exportTask;
import static org.imageferry.simulator.SimulatorClient.importTask;

/**
 * What {@code /v2/tasks} refuses: listing filters upstream Glance does not know (or the
 * strict rules refuse), task creations beyond the per-minute rate or the in-flight cap.
 */
class TaskLimitsTests {

	private SimulatorClient client;

	@AfterEach
	void stop() {
		this.client.close();
	}

	private void rules(Rules.Builder rules) {
		this.client.cloud.rules(rules.build());
	}

	private Rules.Builder rules() {
		return this.client.cloud.rules().toBuilder();
	}

	private List<String> listed(String query) {
		List<String> ids = new ArrayList<>();
		this.client.get(this.client.images("/tasks" + query))
			.json()
			.path("tasks")
			.forEach((t) -> ids.add(t.path("id").asText()));
		return ids;
	}

	@Test
	void aTypeOrStatusFilterGlanceDoesNotKnowIs400() {
		// given
		this.client = SimulatorClient.start();
		String task = this.client.postTask(ALICE, importTask("exports/a.vhd", "a")).json().path("id").asText();

		// when
		SimulatorClient.Response type = this.client.get(this.client.images("/tasks?type=copy"));
		SimulatorClient.Response status = this.client.get(this.client.images("/tasks?status=done"));
		SimulatorClient.Response upperCase = this.client.get(this.client.images("/tasks?type=IMPORT"));
		List<String> emptyFilters = listed("?type=&status=");

		// then
		assertThat(type.status()).isEqualTo(400);
		assertThat(type.text()).contains("Invalid type value: copy");
		assertThat(status.status()).isEqualTo(400);
		assertThat(status.text()).contains("Invalid status value: done");
		assertThat(upperCase.status()).isEqualTo(400);
		assertThat(emptyFilters).containsExactly(task);
	}

	@Test
	void aRefusedTypeFilterIs400AlthoughSuchTasksExist() {
		// given
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "exports");
		String image = this.client.addVhdImage("web", 2, 1);
		JsonNode export = this.client.runTask(ALICE, exportTask(image, "exports"));
		JsonNode ingest = this.client.runTask(ALICE, importTask("exports/" + image + ".vhd", "copy"));
		List<String> exportsBefore = listed("?type=export");
		rules(rules().refusedTaskTypeFilters(Set.of("export")));

		// when
		SimulatorClient.Response exports = this.client.get(this.client.images("/tasks?type=export"));
		List<String> imports = listed("?type=import");
		List<String> all = listed("");

		// then
		assertThat(exportsBefore).containsExactly(export.path("id").asText());
		assertThat(exports.status()).isEqualTo(400);
		assertThat(exports.text()).contains("Invalid type value: export");
		assertThat(imports).containsExactly(ingest.path("id").asText());
		assertThat(all).hasSize(2);
	}

	@Test
	void postsBeyondThePerMinuteLimitAre413UntilTheOldestLeavesTheMinute() {
		// given: a cloud whose clock the test moves, 3 task creations a minute
		SteppedClock clock = new SteppedClock(Instant.parse("2026-03-02T10:00:00Z"));
		this.client = SimulatorClient.start(SimulatorClient.config().clock(clock).build());
		rules(rules().taskPostsPerMinute(3));
		List<Integer> allowed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			allowed.add(this.client.postTask(ALICE, importTask("exports/a-" + i + ".vhd", "a")).status());
			clock.advance(Duration.ofSeconds(10));
		}
		clock.advance(Duration.ofSeconds(5));

		// when: 35 s after the first
		SimulatorClient.Response refused = this.client.postTask(ALICE, importTask("exports/b.vhd", "b"));
		int bobs = this.client.postTask(BOB, importTask("exports/c.vhd", "c")).status();
		int elsewhere = this.client.call("POST", this.client.cloud.imagesUrl("ORD") + "/tasks")
			.as(ALICE)
			.json(importTask("exports/d.vhd", "d"))
			.send()
			.status();
		clock.advance(Duration.ofSeconds(25));
		int aMinuteAfterTheFirst = this.client.postTask(ALICE, importTask("exports/e.vhd", "e")).status();
		SimulatorClient.Response refusedAgain = this.client.postTask(ALICE, importTask("exports/f.vhd", "f"));

		// then
		assertThat(allowed).containsOnly(201);
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.header("Retry-After")).isEqualTo("25");
		JsonNode fault = refused.json().path("overLimit");
		assertThat(fault.path("code").asInt()).isEqualTo(413);
		assertThat(fault.path("retryAfter").asText()).isEqualTo("25");
		assertThat(fault.path("message").asText()).contains("3");
		assertThat(bobs).isEqualTo(201);
		assertThat(elsewhere).isEqualTo(201);
		assertThat(aMinuteAfterTheFirst).isEqualTo(201);
		assertThat(refusedAgain.status()).isEqualTo(413);
		assertThat(refusedAgain.header("Retry-After")).isEqualTo("10");
		assertThat(this.client.cloud.inspect().tasks()).filteredOn((t) -> t.owner().equals(ALICE))
			.extracting((t) -> t.input().path("import_from").asText())
			.containsExactlyInAnyOrder("exports/a-0.vhd", "exports/a-1.vhd", "exports/a-2.vhd", "exports/d.vhd",
					"exports/e.vhd");
	}

	@Test
	void withoutAPerMinuteLimitPostsAreNotCounted() {
		// given
		SteppedClock clock = new SteppedClock(Instant.parse("2026-03-02T10:00:00Z"));
		this.client = SimulatorClient.start(SimulatorClient.config().clock(clock).build());

		// when
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			statuses.add(this.client.postTask(ALICE, importTask("exports/a-" + i + ".vhd", "a")).status());
		}
		rules(rules().taskPostsPerMinute(10));
		int afterSwitchingOn = this.client.postTask(ALICE, importTask("exports/b.vhd", "b")).status();

		// then
		assertThat(statuses).containsOnly(201);
		assertThat(afterSwitchingOn).isEqualTo(201);
	}

	@Test
	void theInFlightCapIsAnOverLimitFault() {
		// given
		this.client = SimulatorClient.start(SimulatorClient.config()
			.taskLatency(Duration.ofSeconds(5), Duration.ofSeconds(5))
			.faults(Faults.builder().tasksInFlightCap(1).retryAfter(Duration.ofSeconds(7)).build())
			.build());
		assertThat(this.client.postTask(ALICE, importTask("exports/a.vhd", "a")).status()).isEqualTo(201);

		// when
		SimulatorClient.Response r = this.client.postTask(ALICE, importTask("exports/b.vhd", "b"));

		// then
		assertThat(r.status()).isEqualTo(413);
		assertThat(r.header("Retry-After")).isEqualTo("7");
		assertThat(r.json().path("overLimit").path("retryAfter").asText()).isEqualTo("7");
		assertThat(this.client.cloud.inspect().tasks()).hasSize(1);
	}

}

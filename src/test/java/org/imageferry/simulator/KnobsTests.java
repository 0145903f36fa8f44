package org.imageferry.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The simulator's knobs: one name each, set from a flag's text, a YAML file, a profile or
 * {@code /_admin/knobs}, with refusals that name the knob.
 */
class KnobsTests {

	@Nested
	class AtStart {

		@Test
		void flagsTextIsReadAsDurationsSizesListsAndMaps() {
			// given
			Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder());

			// when
			Knobs.set(settings, "export-latency", "500ms");
			Knobs.set(settings, "import-latency", "1m");
			Knobs.set(settings, "import-size-limit", "40GB");
			Knobs.set(settings, "max-object-size", "5GiB");
			Knobs.set(settings, "refused-task-type-filters", "export,import");
			Knobs.set(settings, "forced-import-failures", "a=609, b=111");
			Knobs.set(settings, "bulk-delete", "off");
			Knobs.set(settings, "regions", "DFW,IAD");
			SimulatorConfig config = settings.build().build();

			// then
			assertThat(config.rules().exportLatency()).isEqualTo(Duration.ofMillis(500));
			assertThat(config.rules().importLatency()).isEqualTo(Duration.ofMinutes(1));
			assertThat(config.rules().importSizeLimit()).isEqualTo(40_000_000_000L);
			assertThat(config.maxObjectSize()).isEqualTo(5L << 30);
			assertThat(config.rules().refusedTaskTypeFilters()).containsExactlyInAnyOrder("export", "import");
			assertThat(config.faults().forcedImportFailures()).isEqualTo(Map.of("a", 609, "b", 111));
			assertThat(config.rules().bulkDelete()).isFalse();
			assertThat(config.regions()).containsExactly("DFW", "IAD");
		}

		@Test
		void theStrictProfileTurnsOnRackspacesDocumentedBehaviourAndAFileChangesItFurther(@TempDir Path dir)
				throws Exception {
			// given
			Path file = dir.resolve("sim.yml");
			Files.writeString(file, """
					profile: rackspace-strict
					task-posts-per-minute: 5
					refused-task-type-filters: []
					""");
			Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder());

			// when
			Knobs.file(settings, file);
			SimulatorConfig config = settings.build().build();

			// then
			Rules rules = config.rules();
			assertThat(rules.protectedProperties()).isTrue();
			assertThat(rules.bulkDelete()).isFalse();
			assertThat(rules.containerWritesPerSecond()).isEqualTo(100);
			assertThat(rules.exportMbPerSecond()).isPositive();
			assertThat(config.faults().listingLag()).isEqualTo(Duration.ofSeconds(1));
			assertThat(rules.taskPostsPerMinute()).isEqualTo(5);
			assertThat(rules.refusedTaskTypeFilters()).isEmpty();
		}

		@Test
		void aWrongKnobOrValueIsRefusedNamingIt(@TempDir Path dir) throws Exception {
			Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder());
			Path file = dir.resolve("sim.yml");
			Files.writeString(file, "poll-intervall: 2s\n");

			assertThatIllegalArgumentException().isThrownBy(() -> Knobs.set(settings, "task-latency", "2x"))
				.withMessage("knob 'task-latency': bad duration '2x' (use 500ms, 2s, 1m, 24h)");
			assertThatIllegalArgumentException().isThrownBy(() -> Knobs.set(settings, "drop-rate", "1.5"))
				.withMessageContaining("knob 'drop-rate'");
			assertThatIllegalArgumentException().isThrownBy(() -> Knobs.file(settings, file))
				.withMessage("unknown knob 'poll-intervall'");
			assertThatIllegalArgumentException().isThrownBy(() -> Knobs.profile(settings, "lenient"))
				.withMessageContaining("unknown profile 'lenient'");
		}

		@Test
		void aTasksTimeGrowsWithTheImagesSizeAtTheConfiguredRate() {
			Rules rules = Rules.builder()
				.taskLatency(Duration.ofSeconds(1), Duration.ofSeconds(1))
				.exportMbPerSecond(100)
				.build();

			assertThat(rules.taskTime("export", 0)).isEqualTo(Duration.ofSeconds(1));
			assertThat(rules.taskTime("export", 16_000_000_000L)).isEqualTo(Duration.ofSeconds(161));
			assertThat(rules.taskTime("import", 16_000_000_000L)).isEqualTo(Duration.ofSeconds(1));
		}

	}

	@Nested
	class WhileRunning {

		private final HttpClient http = HttpClient.newHttpClient();

		@Test
		void adminKnobsShowsTheValuesAndAPatchChangesLiveKnobs() throws Exception {
			try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder().build())) {
				// when
				HttpResponse<String> changed = patch(cloud, "{\"profile\": \"rackspace-strict\", \"seed\": 7}");
				JsonNode shown = SimulatorClient.JSON.readTree(get(cloud).body());

				// then
				assertThat(changed.statusCode()).isEqualTo(200);
				assertThat(cloud.rules().protectedProperties()).isTrue();
				assertThat(cloud.rules().refusedTaskTypeFilters()).isEqualTo(Set.of("export"));
				assertThat(cloud.faults().seed()).isEqualTo(7);
				assertThat(shown.path("bulk-delete").asBoolean(true)).isFalse();
				assertThat(shown.path("listing-lag").asText()).isEqualTo("1s");
				assertThat(shown.path("regions").toString()).isEqualTo("[\"DFW\",\"ORD\",\"IAD\"]");

				// and back to the default profile
				patch(cloud, "{\"profile\": \"default\"}");
				assertThat(cloud.rules()).isEqualTo(Rules.defaults());
			}
		}

		@Test
		void aStartKnobOrAnUnknownOneIsRefusedWith400NamingItAndNothingChanges() throws Exception {
			try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder().build())) {
				// when
				HttpResponse<String> port = patch(cloud, "{\"bulk-delete\": false, \"port\": 1}");
				HttpResponse<String> unknown = patch(cloud, "{\"poll-intervall\": \"2s\"}");

				// then
				assertThat(port.statusCode()).isEqualTo(400);
				assertThat(SimulatorClient.JSON.readTree(port.body()).at("/badRequest/message").asText())
					.isEqualTo("knob 'port' can only be set when the simulator starts");
				assertThat(unknown.statusCode()).isEqualTo(400);
				assertThat(unknown.body()).contains("unknown knob 'poll-intervall'");
				assertThat(cloud.rules().bulkDelete()).isTrue();
			}
		}

		private HttpResponse<String> patch(SimulatedCloud cloud, String json) throws Exception {
			return this.http.send(HttpRequest.newBuilder(URI.create(cloud.adminUrl() + "/knobs"))
				.method("PATCH", HttpRequest.BodyPublishers.ofString(json))
				.header("Content-Type", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		private HttpResponse<String> get(SimulatedCloud cloud) throws Exception {
			return this.http.send(HttpRequest.newBuilder(URI.create(cloud.adminUrl() + "/knobs")).build(),
					HttpResponse.BodyHandlers.ofString());
		}

	}

}

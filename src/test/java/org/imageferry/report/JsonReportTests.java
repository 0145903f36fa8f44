package org.imageferry.report;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTests {

	@Test
	void parsesBackWithRunTotalsAndOneObjectPerLine() throws Exception {
		// given
		String json = JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, ReportFixtures.items()));

		// when
		JsonNode report = new ObjectMapper().readTree(json);

		// then
		JsonNode run = report.get("run");
		assertThat(run.get("run_id").asLong()).isEqualTo(7);
		assertThat(run.get("execution_id").asLong()).isEqualTo(12);
		assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
		assertThat(run.get("route").asText()).isEqualTo("DFW:alice->IAD:alice");
		assertThat(run.get("started_at").asText()).isEqualTo("2025-03-01T01:59:57Z");
		assertThat(run.get("ended_at").asText()).isEqualTo("2025-03-01T02:11:02Z");
		JsonNode totals = report.get("totals");
		assertThat(totals.get("migrated").asLong()).isEqualTo(2);
		assertThat(totals.get("already_migrated").asLong()).isEqualTo(1);
		assertThat(totals.get("failed").asLong()).isEqualTo(3);
		assertThat(totals.get("invalid").asLong()).isEqualTo(1);
		assertThat(totals.get("in_progress").asLong()).isEqualTo(0);
		assertThat(totals.get("bytes").asLong())
			.isEqualTo(4_294_967_296L + 10_737_418_240L + 2_147_483_648L + 536_870_912L);
		JsonNode images = report.get("images");
		assertThat(images).hasSize(7);
		assertThat(images.findValuesAsText("line")).containsExactly("2", "3", "4", "5", "6", "7", "8");
	}

	@Test
	void theBandwidthCapIsTheSettingAndTheRateInForceOrNull() throws Exception {
		// given
		RunSummary uncapped = ReportFixtures.RUN;
		RunSummary capped = new RunSummary(7, 12, "COMPLETED", uncapped.route(), uncapped.manifest(),
				uncapped.profile(), uncapped.executions(),
				new RunSummary.BandwidthCap("08:00,50MB/s 20:00,off", 52_428_800, "Europe/London"));

		// when
		JsonNode cap = new ObjectMapper().readTree(JsonReport.render(capped, List.of()))
			.get("run")
			.get("bandwidth_limit");
		JsonNode none = new ObjectMapper().readTree(JsonReport.render(uncapped, List.of()))
			.get("run")
			.get("bandwidth_limit");

		// then
		assertThat(cap.get("setting").asText()).isEqualTo("08:00,50MB/s 20:00,off");
		assertThat(cap.get("in_force_bytes_per_second").asLong()).isEqualTo(52_428_800);
		assertThat(cap.get("zone").asText()).isEqualTo("Europe/London");
		assertThat(none.isNull()).isTrue();
	}

	@Test
	void imageHasTheCsvFieldsAndIsoTimestamps() throws Exception {
		// given
		String json = JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, ReportFixtures.items()));

		// when
		JsonNode images = new ObjectMapper().readTree(json).get("images");

		// then
		JsonNode failed = images.get(2);
		assertThat(failed.get("source_image_id").asText()).isEqualTo(ReportFixtures.APP);
		assertThat(failed.get("outcome").asText()).isEqualTo("failed");
		assertThat(failed.get("target_image_id").isNull()).isTrue();
		assertThat(failed.get("failure_code").asText()).isEqualTo("396");
		assertThat(failed.get("explanation").asText()).isEqualTo(ReportFixtures.IMPORT_FAILURE);
		assertThat(failed.get("bytes").asLong()).isEqualTo(2_147_483_648L);
		assertThat(failed.get("export_seconds").decimalValue()).isEqualByComparingTo("80");
		assertThat(failed.get("transfer_seconds").decimalValue()).isEqualByComparingTo("110");
		assertThat(failed.get("import_seconds").decimalValue()).isEqualByComparingTo("60");
		assertThat(failed.get("finish_seconds").isNull()).isTrue();
		assertThat(failed.get("total_seconds").decimalValue()).isEqualByComparingTo("250");
		assertThat(failed.get("export_started_at").asText()).isEqualTo("2025-03-01T02:00:10Z");
		assertThat(failed.get("import_ended_at").isNull()).isTrue();
		assertThat(failed.get("finished_at").asText()).isEqualTo("2025-03-01T02:04:20Z");
		JsonNode invalid = images.get(5);
		assertThat(invalid.get("source_image_id").asText()).isEqualTo(ReportFixtures.FORMULA_ID);
		assertThat(invalid.get("failure_code").asText()).isEqualTo("MANIFEST");
		assertThat(invalid.get("export_started_at").isNull()).isTrue();
	}

	@Test
	void aMigratedImageListsThePropertiesNotCopied() throws Exception {
		// given
		List<RunItem> items = List.of(ReportFixtures.migratedWithWarning(), ReportFixtures.items().get(0));

		// when
		JsonNode images = new ObjectMapper()
			.readTree(JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, items)))
			.get("images");

		// then
		assertThat(images.get(0).get("outcome").asText()).isEqualTo("migrated");
		assertThat(images.get(0).get("properties_not_copied")).extracting(JsonNode::asText)
			.containsExactly("notes", "org.openstack__1__os_distro");
		assertThat(images.get(0).get("explanation").asText()).startsWith("migrated with a warning");
		assertThat(images.get(1).get("properties_not_copied")).isEmpty();
	}

	@Test
	void anImagesLeftoverObjectsAreAnArrayEmptyWhenNothingIsLeft() throws Exception {
		// given
		List<RunItem> items = List.of(ReportFixtures.items().get(0), ReportFixtures.leftBehind(9, ReportFixtures.DB,
				new Leftover(Leftover.End.TARGET, "IAD", "imports", ReportFixtures.DB + ".vhd-00002")));

		// when
		JsonNode images = new ObjectMapper()
			.readTree(JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, items)))
			.get("images");

		// then
		assertThat(images.get(0).get("leftover_objects").isArray()).isTrue();
		assertThat(images.get(0).get("leftover_objects")).isEmpty();
		assertThat(images.get(1).get("outcome").asText()).isEqualTo("migrated");
		assertThat(images.get(1).get("leftover_objects")).extracting(JsonNode::asText)
			.containsExactly("target IAD imports/" + ReportFixtures.DB + ".vhd-00002");
	}

	@Test
	void namesTheWorkerThatMovedEachImageOrNull() throws Exception {
		// given
		List<RunItem> moved = ReportFixtures.itemsMovedByWorkers();

		// when
		JsonNode withWorkers = new ObjectMapper()
			.readTree(JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, moved)))
			.get("images");
		JsonNode oneHost = new ObjectMapper()
			.readTree(JsonReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, ReportFixtures.items())))
			.get("images");

		// then
		assertThat(withWorkers.findValuesAsText("worker")).containsExactly("w-a", "w-a", "w-b", "w-b", "null", "null",
				"null");
		assertThat(oneHost.findValues("worker")).hasSize(7).allMatch(JsonNode::isNull);
	}

}

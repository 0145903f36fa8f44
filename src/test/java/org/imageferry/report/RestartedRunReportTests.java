package org.imageferry.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.imageferry.ledger.RunItem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reports of a run stopped and restarted ({@link ReportFixtures#RESTARTED}: not
 * running for 69 s between its two executions): one duration for the whole run with its
 * active time beside it, phase seconds without the pause, and the pause on the timeline.
 */
class RestartedRunReportTests {

	private static final RunSummary RUN = ReportFixtures.RESTARTED;

	private static final List<RunItem> ITEMS = ReportFixtures.items();

	@Test
	void csvPhaseSecondsLeaveOutThePause() {
		// when
		String csv = CsvReport.render(ReportRows.of(RUN, ITEMS));

		// then: transfers of lines 2 and 3 and the import of line 4 spanned the 69 s
		// pause
		assertThat(csv).contains("\r\n2," + ReportFixtures.WEB + ",migrated,a1000000-0000-4000-8000-000000000001,"
				+ "web-01-iad,,,4294967296,120.000,111.000,120.000,10.000,361.000,,,IAD:alice\r\n");
		assertThat(csv).contains(",10737418240,195.000,231.000,140.000,10.000,576.000,,,IAD:alice\r\n");
		assertThat(csv).contains(",2147483648,80.000,110.000,15.000,,205.000,,,IAD:alice\r\n");
		assertThat(csv).contains(",536870912,95.000,40.000,,,135.000,,,IAD:alice\r\n");
	}

	@Test
	void jsonHasTheRunsExecutionsItsWallAndActiveSecondsAndThePause() throws Exception {
		// when
		JsonNode report = new ObjectMapper().readTree(JsonReport.render(RUN, ReportRows.of(RUN, ITEMS)));

		// then
		JsonNode run = report.get("run");
		assertThat(run.get("started_at").asText()).isEqualTo("2025-03-01T01:59:57Z");
		assertThat(run.get("ended_at").asText()).isEqualTo("2025-03-01T02:11:02Z");
		assertThat(run.get("wall_seconds").decimalValue()).isEqualByComparingTo("665");
		assertThat(run.get("active_seconds").decimalValue()).isEqualByComparingTo("596");
		assertThat(run.get("executions").findValuesAsText("execution_id")).containsExactly("11", "12");
		assertThat(run.get("executions").findValuesAsText("status")).containsExactly("STOPPED", "COMPLETED");
		JsonNode pause = run.get("not_running").get(0);
		assertThat(pause.get("from").asText()).isEqualTo("2025-03-01T02:03:35Z");
		assertThat(pause.get("to").asText()).isEqualTo("2025-03-01T02:04:44Z");
		assertThat(pause.get("seconds").decimalValue()).isEqualByComparingTo("69");
		assertThat(pause.get("after").asText()).isEqualTo("stopped");
		assertThat(report.get("images").get(0).get("transfer_seconds").decimalValue()).isEqualByComparingTo("111");
		assertThat(report.get("images").get(0).get("target_name").asText()).isEqualTo("web-01-iad");
	}

	@Test
	void htmlHeaderGivesTheRunsWallTimeWithItsActiveTimeAndListsTheExecutions() {
		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, ITEMS));

		// then
		assertThat(html).contains("<tr><th>Started</th><td>2025-03-01 01:59:57 UTC</td></tr>")
			.contains("<tr><th>Ended</th><td>2025-03-01 02:11:02 UTC</td></tr>")
			.contains("<tr><th>Duration</th><td>11m 05s (active 9m 56s, not running 1m 09s)</td></tr>")
			.contains("<tr><th>Executions</th><td>11 STOPPED: 2025-03-01 01:59:57 UTC to 2025-03-01 02:03:35 UTC<br>"
					+ "12 COMPLETED: 2025-03-01 02:04:44 UTC to 2025-03-01 02:11:02 UTC</td></tr>")
			.contains("Shaded bands: the run was not running");
		assertThat(HtmlReport.render(ReportFixtures.RUN, ReportRows.of(ReportFixtures.RUN, ITEMS)))
			.contains("<tr><th>Duration</th><td>11m 05s</td></tr>")
			.doesNotContain("<th>Executions</th>", "Shaded bands");
	}

	@Test
	void timelineShowsThePauseAsALabelledBandAndCutsTheBarsThere() {
		// when
		String svg = TimelineSvg.render(ReportRows.of(RUN, ITEMS), RUN.pauses());
		String without = TimelineSvg.render(ReportRows.of(ReportFixtures.RUN, ITEMS), Pauses.NONE);

		// then: the transfers of lines 2 and 3 are drawn in two parts each
		assertThat(HtmlReportTests.count(svg, "class=\"pause-band\"")).isEqualTo(1);
		assertThat(svg).contains(">stopped 1m 09s</text>").contains("class=\"legend-pause\"");
		assertThat(HtmlReportTests.count(svg, "class=\"phase-transfer\"")).isEqualTo(6);
		assertThat(HtmlReportTests.count(svg, "class=\"phase-import\"")).isEqualTo(3);
		assertThat(svg).contains("<title>line 2 transfer: 1m 51s, not counting the time the run was not running");
		assertThat(without).doesNotContain("pause");
		assertThat(HtmlReportTests.count(without, "class=\"phase-transfer\"")).isEqualTo(4);
	}

	@Test
	void statusListsTheExecutionsAndTimesPhasesWithoutThePause() {
		// given
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		// when
		StatusTable.print(RUN, ITEMS, ReportFixtures.T0.plusSeconds(700),
				new PrintStream(out, true, StandardCharsets.UTF_8));

		// then
		String status = out.toString(StandardCharsets.UTF_8);
		assertThat(status).containsPattern("\n +2  " + ReportFixtures.WEB + " .* +2m 00s +1m 51s +2m 00s ")
			.containsPattern("\nexecutions of run 7:\n {6}11  STOPPED    \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"
					+ "(Z|[+-]\\d\\d:\\d\\d) to \\S+, then not running \\(stopped\\) 1m 09s\n {6}12  COMPLETED  \\S+ to \\S+\n")
			.contains("\nwall time 11m 05s, active 9m 56s\n");
	}

}

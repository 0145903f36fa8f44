package org.imageferry.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTests {

	private static final RunSummary RUN = ReportFixtures.RUN;

	@Test
	void isSelfContained() {
		// given
		List<RunItem> items = ReportFixtures.items().stream().filter((item) -> item.line() != 7).toList();

		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		assertThat(html).doesNotContain("http://", "https://", "@import", "url(", "<link", "<script", "<img", "<iframe",
				"<object");
		assertThat(html).doesNotContainPattern("(?i)\\s(src|href)\\s*=");
		assertThat(html).contains("<meta charset=\"utf-8\">").contains("<svg id=\"timeline\"");
	}

	@Test
	void escapesWhatComesFromTheManifestAndTheClouds() {
		// given
		List<RunItem> items = ReportFixtures.items();

		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		assertThat(html).doesNotContain("<script").doesNotContain("evil.example\"");
		assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
			.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)")
			.contains("footer says &quot;dynamic&quot;");
	}

	@Test
	void listsWhatCleanUpsLeftBehindOnlyWhenTheyDid() {
		// given
		List<RunItem> items = new ArrayList<>(ReportFixtures.items());
		items.add(ReportFixtures.leftBehind(9, ReportFixtures.WEB,
				new Leftover(Leftover.End.SOURCE, "DFW", "exports", ReportFixtures.WEB + ".vhd"),
				new Leftover(Leftover.End.SOURCE, "DFW", "exports", "<b>.vhd-00001")));

		// when
		String without = HtmlReport.render(RUN, ReportRows.of(RUN, ReportFixtures.items()));
		String with = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		assertThat(without).doesNotContain("Left behind by clean-up");
		assertThat(with).contains("<h2>Left behind by clean-up</h2>")
			.contains("<td class=\"num\">9</td><td>IAD:alice</td><td class=\"id\">" + ReportFixtures.WEB
					+ "</td><td class=\"id\">source DFW exports/" + ReportFixtures.WEB
					+ ".vhd<br>source DFW exports/&lt;b&gt;.vhd-00001</td>");
	}

	@Test
	void listsFailuresFirstThenTheRestInManifestOrder() {
		// given
		List<RunItem> items = ReportFixtures.items();

		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		Matcher rows = Pattern.compile("<tr class=\"([a-z-]+)\"><td class=\"num\">(\\d+)</td>").matcher(html);
		List<String> order = new ArrayList<>();
		while (rows.find()) {
			order.add(rows.group(2) + " " + rows.group(1));
		}
		assertThat(order).containsExactly("4 failed", "5 failed", "6 failed", "7 invalid", "2 migrated", "3 migrated",
				"8 already-migrated");
	}

	@Test
	void showsTheRunAndItsTotals() {
		// given
		List<RunItem> items = ReportFixtures.items();

		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		assertThat(html).contains("<tr><th>Route</th><td>DFW:alice-&gt;IAD:alice</td></tr>")
			.contains("<tr><th>Manifest</th><td>sample-manifests/demo.csv</td></tr>")
			.contains("<tr><th>Profile</th><td>jobs/demo.yml</td></tr>")
			.contains("<tr><th>Started</th><td>2025-03-01 01:59:57 UTC</td></tr>")
			.contains("<tr><th>Ended</th><td>2025-03-01 02:11:02 UTC</td></tr>")
			.contains("<tr><th>Duration</th><td>11m 05s</td></tr>")
			.contains("<li><b>2</b>migrated</li>")
			.contains("<li class=\"bad\"><b>3</b>failed</li>")
			.contains("<li class=\"bad\"><b>1</b>invalid lines</li>");
	}

	@Test
	void aCappedRunShowsItsCapInForceAndTheSetting() {
		// given
		RunSummary capped = new RunSummary(7, 12, "COMPLETED", RUN.route(), RUN.manifest(), RUN.profile(),
				RUN.executions(), new RunSummary.BandwidthCap("08:00,50MB/s 20:00,off", 52_428_800, "Europe/London"));

		// when
		String html = HtmlReport.render(capped, List.of());
		String uncapped = HtmlReport.render(RUN, List.of());

		// then
		assertThat(html).contains(
				"<tr><th>Bandwidth cap</th><td>50.0 MiB/s (bandwidth-limit 08:00,50MB/s 20:00,off, Europe/London)</td></tr>");
		assertThat(uncapped).doesNotContain("Bandwidth cap");
	}

	@Test
	void timelineHasOneSegmentPerPhaseReachedAndMarksFailures() {
		// given
		List<RunItem> items = ReportFixtures.items();

		// when
		String svg = TimelineSvg.render(ReportRows.of(RUN, items), Pauses.NONE);

		// then
		assertThat(count(svg, "class=\"phase-export\"")).isEqualTo(4);
		assertThat(count(svg, "class=\"phase-transfer\"")).isEqualTo(4);
		assertThat(count(svg, "class=\"phase-import\"")).isEqualTo(3);
		assertThat(count(svg, "class=\"phase-finish\"")).isEqualTo(2);
		assertThat(count(svg, "class=\"failure-marker\"")).isEqualTo(2);
		assertThat(count(svg, "class=\"row-label\"")).isEqualTo(7);
		assertThat(svg).contains("already migrated by an earlier run")
			.contains("invalid line: not an image id")
			.contains("failed before export: NOT_EXPORTABLE")
			.contains(">0:00</text>")
			.contains(">10:00</text>");
	}

	@Test
	void rendersARunThatIsStillGoingOrEmpty() {
		// given
		RunSummary running = new RunSummary(1, 1, "STARTED", "r", "m", "p", ReportFixtures.T0, null);
		List<RunItem> items = List.of(ReportFixtures.item(2, ReportFixtures.image("id-1", "exporting",
				ImageState.EXPORTING, null, null, null, null, 0, null, null, null, null, null, null)));

		// when
		String html = HtmlReport.render(running, ReportRows.of(running, items));
		String empty = HtmlReport.render(running, List.of());

		// then
		assertThat(html).contains("still running").contains("<svg id=\"timeline\"");
		assertThat(empty).contains("<svg id=\"timeline\"").contains("no image started a phase");
	}

	@Test
	void marksAMigratedImagesWarningAndNamesThePropertiesNotCopied() {
		// given
		List<RunItem> items = List.of(ReportFixtures.migratedWithWarning());

		// when
		String html = HtmlReport.render(RUN, ReportRows.of(RUN, items));

		// then
		assertThat(html).contains("<tr class=\"migrated warning\"><td class=\"num\">9</td>")
			.contains("<td class=\"explanation\">migrated with a warning: the target refused notes, "
					+ "org.openstack__1__os_distro, not copied</td>");
	}

	static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
			count++;
		}
		return count;
	}

	@Test
	void theOutcomeTableNamesTheWorkerThatMovedEachImageOnlyWhenWorkersCopied() {
		// given
		List<RunItem> moved = ReportFixtures.itemsMovedByWorkers();

		// when
		String with = HtmlReport.render(RUN, ReportRows.of(RUN, moved));
		String without = HtmlReport.render(RUN, ReportRows.of(RUN, ReportFixtures.items()));

		// then
		assertThat(with).contains("<th>total</th><th>worker</th></tr>")
			.containsPattern("<td class=\"num\">2</td>.*<td class=\"id\">w-a</td></tr>")
			.containsPattern("<td class=\"num\">5</td>.*<td class=\"id\">w-b</td></tr>")
			.containsPattern("<td class=\"num\">6</td>.*<td class=\"id\"></td></tr>");
		assertThat(without).contains("<th>total</th></tr>").doesNotContain("<th>worker</th>");
	}

}

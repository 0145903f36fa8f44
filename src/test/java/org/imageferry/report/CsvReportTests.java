package org.imageferry.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;
import org.imageferry.ledger.RunItem.Disposition;

import static org.assertj.core.api.Assertions.assertThat;

class CsvReportTests {

	@Test
	void oneRowPerLineInManifestOrderWithPhaseDurations() {
		// given
		List<RunItem> items = ReportFixtures.items();

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, items));

		// then
		assertThat(csv.split("\r\n", -1)).containsExactly(
				"line,source_image_id,outcome,target_image_id,target_name,failure_code,explanation,bytes,export_seconds,"
						+ "transfer_seconds,import_seconds,finish_seconds,total_seconds,properties_not_copied,leftover_objects,"
						+ "target",
				"2," + ReportFixtures.WEB + ",migrated,a1000000-0000-4000-8000-000000000001,web-01-iad,,,4294967296,"
						+ "120.000,180.000,120.000,10.000,430.000,,,IAD:alice",
				"3," + ReportFixtures.DB
						+ ",migrated,a1000000-0000-4000-8000-000000000002,<script>alert('x')</script>,,,10737418240,"
						+ "195.000,300.000,140.000,10.000,645.000,,,IAD:alice",
				"4," + ReportFixtures.APP
						+ ",failed,,app-01,396,\"396: The VHD's footer says \"\"dynamic\"\", but its header "
						+ "is missing, so the import task failed\",2147483648,80.000,110.000,60.000,,250.000,,,IAD:alice",
				"5," + ReportFixtures.CACHE
						+ ",failed,,cache-01,TRANSFER,\"segment 3: MD5 mismatch, 5 retries\",536870912,"
						+ "95.000,40.000,,,135.000,,,IAD:alice",
				"6," + ReportFixtures.WIN
						+ ",failed,,win-2019,NOT_EXPORTABLE,Windows images cannot be exported,,,,,,,,,IAD:alice",
				"7,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",invalid line,,,MANIFEST,"
						+ "not an image id (expected a UUID),,,,,,,,,",
				"8," + ReportFixtures.OLD + ",already migrated,,,,,,,,,,,,,", "");
	}

	@Test
	void defusesCellsASpreadsheetWouldEvaluate() {
		// given
		List<RunItem> items = List.of(invalid(1, "=1+2", "-2+3"), invalid(2, "+cmd", "@SUM(A1)"),
				invalid(3, "\tx", "\rcalc"), invalid(4, "a=b", "plain -1"));

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, items));

		// then
		assertThat(csv).contains("\r\n1,'=1+2,invalid line,,,MANIFEST,'-2+3,")
			.contains("\r\n2,'+cmd,invalid line,,,MANIFEST,'@SUM(A1),")
			.contains("\r\n3,'\tx,invalid line,,,MANIFEST,\"'\rcalc\",")
			.contains("\r\n4,a=b,invalid line,,,MANIFEST,plain -1,");
	}

	@Test
	void quotesCommasQuotesAndLineBreaks() {
		// given
		List<RunItem> items = List.of(invalid(1, "a,b", "say \"hi\""), invalid(2, "x", "two\nlines"));

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, items));

		// then
		assertThat(csv).contains("\r\n1,\"a,b\",invalid line,,,MANIFEST,\"say \"\"hi\"\"\",")
			.contains("\r\n2,x,invalid line,,,MANIFEST,\"two\nlines\",");
	}

	@Test
	void secondsHaveThreeDecimalsAndAreEmptyForPhasesThatDidNotHappen() {
		// given
		RunItem exporting = ReportFixtures.item(9,
				new ImageRecord(1, "r", "id", "n", null, ImageState.EXPORTED, null, null, null, null, null, null, null,
						null, null, null, null, null, ReportFixtures.T0, ReportFixtures.T0.plusMillis(1234), null, null,
						null, null, null, List.of(), List.of()));

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, List.of(exporting)));

		// then
		assertThat(csv).endsWith("\r\n9,id,in progress,,n,,,,1.234,,,,1.234,,,r\r\n");
	}

	@Test
	void aMigratedImagesWarningNamesThePropertiesNotCopied() {
		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, List.of(ReportFixtures.migratedWithWarning())));

		// then
		assertThat(csv)
			.endsWith(",migrated,a1000000-0000-4000-8000-000000000009,warned,,\"migrated with a warning: the "
					+ "target refused notes, org.openstack__1__os_distro, not copied\",1048576,120.000,180.000,120.000,"
					+ "10.000,430.000,notes org.openstack__1__os_distro,,IAD:alice\r\n");
	}

	@Test
	void listsWhatAnImagesCleanUpLeftBehindInItsOwnColumn() {
		// given
		RunItem left = ReportFixtures.leftBehind(9, ReportFixtures.WEB,
				new Leftover(Leftover.End.SOURCE, "DFW", "exports", ReportFixtures.WEB + ".vhd"),
				new Leftover(Leftover.End.TARGET, "IAD", "imports", ReportFixtures.WEB + ".vhd-00001"));

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, List.of(left)));

		// then
		assertThat(csv).startsWith("line,")
			.contains(",total_seconds,properties_not_copied,leftover_objects,target\r\n");
		assertThat(csv).endsWith(",0.000,,source DFW exports/" + ReportFixtures.WEB + ".vhd; target IAD imports/"
				+ ReportFixtures.WEB + ".vhd-00001,IAD:alice\r\n");
	}

	@Test
	void targetNameIsTheManifestsNameElseTheSourceImagesName() {
		// given
		RunItem renamed = ReportFixtures.item(9,
				new ImageRecord(1, "r", "id-9", "source-name", "=manifest-name", ImageState.EXPORTED, null, null, null,
						null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
						List.of(), List.of()));
		RunItem kept = ReportFixtures.item(10,
				new ImageRecord(1, "r", "id-10", "source-name", null, ImageState.EXPORTED, null, null, null, null, null,
						null, null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(),
						List.of()));

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, List.of(renamed, kept)));

		// then
		assertThat(csv).contains("\r\n9,id-9,in progress,,'=manifest-name,")
			.contains("\r\n10,id-10,in progress,,source-name,");
	}

	private static RunItem invalid(int line, String id, String problem) {
		return new RunItem(line, id, Disposition.INVALID, problem, null);
	}

	@Test
	void aLastColumnNamesTheWorkerThatMovedEachImageWhenWorkersCopied() {
		// given
		List<RunItem> items = ReportFixtures.itemsMovedByWorkers();

		// when
		String csv = CsvReport.render(ReportRows.of(ReportFixtures.RUN, items));

		// then
		String[] lines = csv.split("\r\n", -1);
		assertThat(lines[0]).endsWith(",leftover_objects,target,worker");
		assertThat(lines[1]).startsWith("2," + ReportFixtures.WEB).endsWith(",IAD:alice,w-a");
		assertThat(lines[4]).startsWith("5," + ReportFixtures.CACHE).endsWith(",IAD:alice,w-b");
		assertThat(lines[5]).startsWith("6," + ReportFixtures.WIN).endsWith(",IAD:alice,");
		assertThat(lines[7]).startsWith("8," + ReportFixtures.OLD).endsWith(",,");
	}

}

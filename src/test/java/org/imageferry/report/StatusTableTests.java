package org.imageferry.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTableTests {

	@Test
	void listsUnderTheTableEveryObjectACleanUpLeftImageByImage() {
		// given
		List<RunItem> items = new ArrayList<>(ReportFixtures.items());
		items.add(ReportFixtures.leftBehind(9, ReportFixtures.LEFT,
				new Leftover(Leftover.End.SOURCE, "DFW", "exports", ReportFixtures.LEFT + ".vhd"),
				new Leftover(Leftover.End.TARGET, "IAD", "imports", ReportFixtures.LEFT + ".vhd-00001")));

		// when
		String status = print(items);

		// then
		assertThat(status.lines().filter((line) -> line.contains(ReportFixtures.LEFT)).toList()).hasSize(4);
		assertThat(status)
			.contains("\nleft behind by clean-up (the next run deletes them): 2 objects of 1 images\n" + "    9  "
					+ ReportFixtures.LEFT + "  IAD:alice\n" + "         source DFW exports/" + ReportFixtures.LEFT
					+ ".vhd\n" + "         target IAD imports/" + ReportFixtures.LEFT + ".vhd-00001\n");
	}

	@Test
	void saysNothingOfCleanUpWhenNothingIsLeft() {
		assertThat(print(ReportFixtures.items())).doesNotContain("left behind");
	}

	private static String print(List<RunItem> items) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		StatusTable.print(ReportFixtures.RUN, items, ReportFixtures.T0.plusSeconds(700),
				new PrintStream(out, true, StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void namesTheWorkerThatMovedEachImageWhenWorkersCopied() {
		// given
		List<RunItem> items = ReportFixtures.itemsMovedByWorkers();

		// when
		String status = print(items);

		// then
		List<String> lines = status.lines().toList();
		assertThat(lines.get(0)).contains("  worker  explanation");
		assertThat(lines).filteredOn((line) -> line.contains(ReportFixtures.WEB))
			.singleElement()
			.asString()
			.contains("  w-a   ");
		assertThat(lines).filteredOn((line) -> line.contains(ReportFixtures.CACHE))
			.singleElement()
			.asString()
			.contains("  w-b     segment 3: MD5 mismatch");
		assertThat(lines).filteredOn((line) -> line.contains(ReportFixtures.WIN))
			.singleElement()
			.asString()
			.doesNotContain("w-a", "w-b");
	}

	@Test
	void aRunOnOneHostHasNoWorkerColumn() {
		// when
		String status = print(ReportFixtures.items());

		// then
		assertThat(status.lines().findFirst()).hasValueSatisfying(
				(header) -> assertThat(header).doesNotContain("worker").endsWith("  import  explanation"));
	}

}

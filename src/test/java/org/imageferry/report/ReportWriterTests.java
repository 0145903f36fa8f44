package org.imageferry.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTests {

	@TempDir
	Path dir;

	@Test
	void writesCsvJsonAndHtmlNamedAfterRunAndExecution() throws Exception {
		// given
		Path reports = this.dir.resolve("reports/nested");

		// when
		List<Path> written = ReportWriter.write(ReportFixtures.RUN, ReportFixtures.items(), reports);

		// then
		assertThat(written).containsExactly(reports.resolve("run-7-12.csv"), reports.resolve("run-7-12.json"),
				reports.resolve("run-7-12.html"));
		assertThat(Files.readString(written.get(0))).startsWith("line,source_image_id,outcome,");
		assertThat(Files.readString(written.get(1))).startsWith("{");
		assertThat(Files.readString(written.get(2), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
	}

	@Test
	void replacesAnEarlierReportAndLeavesNoTemporaryFiles() throws Exception {
		// given
		ReportWriter.write(ReportFixtures.RUN, ReportFixtures.items(), this.dir);

		// when
		ReportWriter.write(ReportFixtures.RUN, ReportFixtures.items().subList(0, 1), this.dir);

		// then
		try (Stream<Path> files = Files.list(this.dir)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("run-7-12.csv",
					"run-7-12.json", "run-7-12.html");
		}
		assertThat(Files.readAllLines(this.dir.resolve("run-7-12.csv"))).hasSize(2);
	}

}

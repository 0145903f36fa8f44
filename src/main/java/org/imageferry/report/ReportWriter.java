package org.imageferry.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

import org.imageferry.ledger.RunItem;
import org.imageferry.report.ReportRows.Row;

/**
 * Writes a run's report files: {@code run-<runId>-<executionId>.csv}, {@code .json} and
 * {@code .html}, one row per manifest line. Each file is written to a temporary file in
 * the same directory and renamed into place, so a reader (or a crash) never sees half a
 * report.
 */
public final class ReportWriter {

	private ReportWriter() {
	}

	/**
	 * @param run the run as a whole
	 * @param items the run's manifest lines, in manifest order
	 * @param directory where to write (created if missing)
	 * @return the CSV, JSON and HTML files written
	 */
	public static List<Path> write(RunSummary run, List<RunItem> items, Path directory) {
		List<Row> rows = ReportRows.of(run, items);
		String base = "run-" + run.runId() + "-" + run.executionId();
		try {
			Files.createDirectories(directory);
			return List.of(writeAtomically(directory, base + ".csv", CsvReport.render(rows)),
					writeAtomically(directory, base + ".json", JsonReport.render(run, rows)),
					writeAtomically(directory, base + ".html", HtmlReport.render(run, rows)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report of run " + run.runId() + " to " + directory, ex);
		}
	}

	private static Path writeAtomically(Path directory, String name, String content) throws IOException {
		Path target = directory.resolve(name);
		Path temporary = directory.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
		try {
			try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
				out.write(content.getBytes(StandardCharsets.UTF_8));
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}

package org.imageferry.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.report.ReportRows.Phase;
import org.imageferry.report.ReportRows.Row;
import org.imageferry.report.ReportRows.Totals;

/**
 * A run's report as JSON: the run (with its executions, the pauses between them, its wall
 * and active seconds), the totals, and one object per manifest line (the CSV's fields —
 * {@code leftover_objects} as an array, {@code worker} null where no worker moved the
 * image — and the phase timestamps, ISO-8601 in UTC).
 */
final class JsonReport {

	private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.enable(SerializationFeature.INDENT_OUTPUT);

	private JsonReport() {
	}

	static String render(RunSummary run, List<Row> rows) {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("run", run(run));
		report.put("totals", totals(ReportRows.totals(rows)));
		List<Map<String, Object>> images = new ArrayList<>();
		rows.forEach((row) -> images.add(image(row)));
		report.put("images", images);
		try {
			return JSON.writeValueAsString(report) + "\n";
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write the JSON report", ex);
		}
	}

	/** The cap of the profile and the one in force, or null when there is none. */
	private static Map<String, Object> bandwidthLimit(RunSummary.BandwidthCap cap) {
		if (cap == null) {
			return null;
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("setting", cap.setting());
		json.put("in_force_bytes_per_second", (cap.inForce() > 0) ? cap.inForce() : null);
		json.put("zone", cap.zone());
		return json;
	}

	private static Map<String, Object> run(RunSummary run) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("run_id", run.runId());
		json.put("execution_id", run.executionId());
		json.put("status", run.status());
		json.put("route", run.route());
		json.put("manifest", run.manifest());
		json.put("profile", run.profile());
		json.put("started_at", run.startedAt());
		json.put("ended_at", run.endedAt());
		json.put("wall_seconds", ReportRows.seconds(run.wallTime()));
		json.put("active_seconds", ReportRows.seconds(run.activeTime()));
		json.put("bandwidth_limit", bandwidthLimit(run.bandwidthCap()));
		List<Map<String, Object>> executions = new ArrayList<>();
		for (RunSummary.Execution execution : run.executions()) {
			Map<String, Object> one = new LinkedHashMap<>();
			one.put("execution_id", execution.id());
			one.put("status", execution.status());
			one.put("started_at", execution.startedAt());
			one.put("ended_at", execution.endedAt());
			executions.add(one);
		}
		json.put("executions", executions);
		List<Map<String, Object>> pauses = new ArrayList<>();
		for (Pauses.Pause pause : run.pauses().list()) {
			Map<String, Object> one = new LinkedHashMap<>();
			one.put("from", pause.from());
			one.put("to", pause.to());
			one.put("seconds", ReportRows.seconds(pause.duration()));
			one.put("after", pause.label());
			pauses.add(one);
		}
		json.put("not_running", pauses);
		return json;
	}

	private static Map<String, Object> totals(Totals totals) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("migrated", totals.migrated());
		json.put("already_migrated", totals.alreadyMigrated());
		json.put("failed", totals.failed());
		json.put("invalid", totals.invalid());
		json.put("in_progress", totals.inProgress());
		json.put("bytes", totals.bytes());
		return json;
	}

	private static Map<String, Object> image(Row row) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("line", row.line());
		json.put("target", row.target());
		json.put("source_image_id", row.sourceImageId());
		json.put("outcome", row.outcome().label());
		json.put("target_image_id", row.targetImageId());
		json.put("target_name", row.name());
		json.put("failure_code", row.failureCode());
		json.put("explanation", row.explanation());
		json.put("bytes", row.bytes());
		for (Phase phase : Phase.values()) {
			json.put(phase.label() + "_seconds", ReportRows.seconds(row.duration(phase)));
		}
		json.put("total_seconds", ReportRows.seconds(row.total()));
		json.put("leftover_objects", row.leftovers());
		json.put("worker", row.worker());
		ImageRecord image = row.image();
		json.put("export_started_at", (image != null) ? image.exportStartedAt() : null);
		json.put("export_ended_at", (image != null) ? image.exportEndedAt() : null);
		json.put("transfer_started_at", (image != null) ? image.transferStartedAt() : null);
		json.put("transfer_ended_at", (image != null) ? image.transferEndedAt() : null);
		json.put("import_started_at", (image != null) ? image.importStartedAt() : null);
		json.put("import_ended_at", (image != null) ? image.importEndedAt() : null);
		json.put("finished_at", (image != null) ? image.finishedAt() : null);
		json.put("properties_not_copied", (image != null) ? image.propertiesNotCopied() : List.of());
		return json;
	}

}

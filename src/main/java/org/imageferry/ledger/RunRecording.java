package org.imageferry.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.manifest.ManifestProblem;

/**
 * Writes a run's manifest into the ledger ({@link Ledger#recordRun}): a run item for
 * every line and target, a row for every image and target to migrate — new, kept when
 * migrated already, started over when it failed or is forced.
 */
final class RunRecording {

	private final NamedParameterJdbcTemplate jdbc;

	/** The time the rows it writes carry. */
	private final OffsetDateTime now;

	RunRecording(NamedParameterJdbcTemplate jdbc, OffsetDateTime now) {
		this.jdbc = jdbc;
		this.now = now;
	}

	void record(long instanceId, List<RunTarget> targets, Manifest manifest, boolean force) {
		this.jdbc.update("DELETE FROM FERRY_RUN_ITEM WHERE JOB_INSTANCE_ID = :run", Map.of("run", instanceId));
		for (ManifestEntry entry : manifest.entries()) {
			for (RunTarget target : targets) {
				entry(instanceId, target, entry, force);
			}
		}
		for (ManifestProblem problem : manifest.problems()) {
			insertItem(instanceId, problem.line(), "", problem.imageId(), null, RunItem.Disposition.INVALID,
					problem.message());
		}
	}

	private void entry(long instanceId, RunTarget target, ManifestEntry entry, boolean force) {
		String route = target.route();
		MapSqlParameterSource key = new MapSqlParameterSource().addValue("route", route)
			.addValue("image", entry.imageId());
		List<Map<String, Object>> existing = this.jdbc
			.queryForList("SELECT ID, STATE FROM FERRY_IMAGE WHERE ROUTE = :route AND SOURCE_IMAGE_ID = :image", key);
		long rowId;
		RunItem.Disposition disposition = RunItem.Disposition.MIGRATE;
		if (existing.isEmpty()) {
			this.jdbc.update(
					"INSERT INTO FERRY_IMAGE (ROUTE, SOURCE_IMAGE_ID, TARGET_NAME, STATE, UPDATED_AT) "
							+ "VALUES (:route, :image, :name, 'PENDING', :now)",
					key.addValue("name", entry.targetName()).addValue("now", this.now));
			rowId = this.jdbc.queryForObject(
					"SELECT ID FROM FERRY_IMAGE WHERE ROUTE = :route AND SOURCE_IMAGE_ID = :image", key, Long.class);
		}
		else {
			rowId = ((Number) existing.get(0).get("ID")).longValue();
			ImageState state = ImageState.valueOf((String) existing.get(0).get("STATE"));
			if (state == ImageState.MIGRATED && !force) {
				disposition = RunItem.Disposition.ALREADY_MIGRATED;
			}
			else if (state.terminal() || force) {
				reset(rowId, entry.targetName());
			}
		}
		insertItem(instanceId, entry.line(), target.name(), entry.imageId(), rowId, disposition, null);
	}

	/**
	 * Starts an image over: a new run retries a failure, or {@code --force} migrates it
	 * again.
	 */
	private void reset(long rowId, String targetName) {
		this.jdbc.update(
				"UPDATE FERRY_IMAGE SET STATE = 'PENDING', TARGET_NAME = :name, " + Column.clearProgress()
						+ ", UPDATED_AT = :now WHERE ID = :id",
				new MapSqlParameterSource("id", rowId).addValue("name", targetName).addValue("now", this.now));
	}

	private void insertItem(long instanceId, int line, String target, String imageId, Long rowId,
			RunItem.Disposition disposition, String problem) {
		this.jdbc.update(
				"INSERT INTO FERRY_RUN_ITEM (JOB_INSTANCE_ID, LINE, TARGET, SOURCE_IMAGE_ID, IMAGE_ROW_ID, "
						+ "DISPOSITION, PROBLEM) VALUES (:run, :line, :target, :image, :row, :disposition, :problem)",
				new MapSqlParameterSource("run", instanceId).addValue("line", line)
					.addValue("target", target)
					.addValue("image", imageId)
					.addValue("row", rowId)
					.addValue("disposition", disposition.name())
					.addValue("problem", problem));
	}

}

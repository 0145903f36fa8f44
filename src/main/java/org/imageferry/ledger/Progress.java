package org.imageferry.ledger;

import java.util.Map;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * How far a run is: images by state, bytes moved and to move, and the work still to do —
 * bytes still to copy (of images not yet transferred) and cloud tasks still to run (an
 * import per image and target that has not reached it, an export per image that has not:
 * its targets share it) — from which the progress line estimates the time left.
 */
public record Progress(int total, int migrated, int failed, long bytesMoved, long bytesKnown, long bytesLeft,
		int tasksLeft) {

	public int done() {
		return this.migrated + this.failed;
	}

	/**
	 * One question over the run's items and their rows, asked every second by the
	 * progress line.
	 */
	static Progress of(NamedParameterJdbcTemplate jdbc, long instanceId) {
		return jdbc.queryForObject("SELECT COUNT(*) AS TOTAL, "
				+ "COALESCE(SUM(CASE WHEN I.STATE = 'MIGRATED' THEN 1 ELSE 0 END), 0) AS MIGRATED, "
				+ "COALESCE(SUM(CASE WHEN I.STATE = 'FAILED' THEN 1 ELSE 0 END), 0) AS FAILED, "
				+ "COALESCE(SUM(CASE WHEN I.STATE = 'MIGRATED' THEN COALESCE(I.BYTES_MOVED, I.SOURCE_SIZE, 0) "
				+ "ELSE COALESCE(I.BYTES_MOVED, 0) END), 0) AS MOVED, COALESCE(SUM(CASE WHEN I.STATE <> 'FAILED' "
				+ "THEN I.SOURCE_SIZE ELSE 0 END), 0) AS KNOWN, "
				+ "COALESCE(SUM(CASE WHEN I.STATE IN ('PENDING', 'READY', 'EXPORTING', 'EXPORTED', 'TRANSFERRING') "
				+ "THEN GREATEST(COALESCE(I.SOURCE_SIZE, 0) - COALESCE(I.BYTES_MOVED, 0), 0) ELSE 0 END), 0) AS LEFT_BYTES, "
				+ "COALESCE(SUM(CASE WHEN I.STATE IN ('PENDING', 'READY', 'EXPORTING', 'EXPORTED', 'TRANSFERRING', "
				+ "'TRANSFERRED', 'IMPORTING') THEN 1 ELSE 0 END), 0) + " + Siblings.EXPORTS_STILL_TO_RUN
				+ " AS TASKS_LEFT FROM FERRY_IMAGE I JOIN FERRY_RUN_ITEM R ON "
				+ "R.IMAGE_ROW_ID = I.ID WHERE R.JOB_INSTANCE_ID = :run AND R.DISPOSITION = 'MIGRATE'",
				Map.of("run", instanceId),
				(rs, n) -> new Progress(rs.getInt("TOTAL"), rs.getInt("MIGRATED"), rs.getInt("FAILED"),
						rs.getLong("MOVED"), rs.getLong("KNOWN"), rs.getLong("LEFT_BYTES"), rs.getInt("TASKS_LEFT")));
	}

}

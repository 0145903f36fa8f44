package org.imageferry.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A {@code FERRY_IMAGE} row read into its {@link ImageRecord}: the one row mapper of the
 * ledger's questions, by {@link Column}.
 */
final class ImageRows {

	private ImageRows() {
	}

	/** The current row of {@code rs}, selected with {@link Column#selectList}. */
	static ImageRecord read(ResultSet rs, int rowNum) throws SQLException {
		return new ImageRecord(rs.getLong(Column.ID.name()), Column.ROUTE.text(rs), Column.SOURCE_IMAGE_ID.text(rs),
				Column.SOURCE_NAME.text(rs), Column.TARGET_NAME.text(rs), ImageState.valueOf(Column.STATE.text(rs)),
				Column.SOURCE_SIZE.number(rs), Column.EXPORT_TASK_ID.text(rs), Column.EXPORT_REQUESTED_AT.instant(rs),
				Column.EXPORT_LOCATION.text(rs), Column.IMPORT_TASK_ID.text(rs), Column.IMPORT_REQUESTED_AT.instant(rs),
				Column.TARGET_IMAGE_ID.text(rs), Column.SEGMENTS.count(rs), Column.SEGMENTS_DONE.count(rs),
				Column.BYTES_MOVED.number(rs), Column.FAILURE_CODE.text(rs), Column.FAILURE_MESSAGE.text(rs),
				Column.EXPORT_STARTED_AT.instant(rs), Column.EXPORT_ENDED_AT.instant(rs),
				Column.TRANSFER_STARTED_AT.instant(rs), Column.TRANSFER_ENDED_AT.instant(rs),
				Column.IMPORT_STARTED_AT.instant(rs), Column.IMPORT_ENDED_AT.instant(rs),
				Column.FINISHED_AT.instant(rs), lines(Column.PROPERTIES_NOT_COPIED.text(rs)),
				Leftover.parse(Column.CLEANUP_LEFTOVERS.text(rs)), Column.TRANSFER_WORKER.text(rs));
	}

	private static List<String> lines(String text) {
		return (text != null) ? List.of(text.split("\n")) : List.of();
	}

}

package org.imageferry.ledger;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The rows of one image in a run with several targets — its manifest line's run items,
 * one per target — as the ledger's SQL finds them: one export serves them all, so in the
 * export's {@link ImageState#shared() shared} states the pipeline asks for one of them
 * and a move of that one is theirs too; and the last of them to finish releases the
 * export. With one target a row has no siblings, and each of these finds none.
 */
final class Siblings {

	private Siblings() {
	}

	/**
	 * The rows beside row {@code :ID} in a {@link ImageState#shared() shared} state: the
	 * other targets' rows of its manifest line, in its latest run, in the same state. A
	 * move of the row is theirs too, in the same statement's transaction: one export, one
	 * outcome for every target.
	 */
	static final String OF_ROW = " WHERE ID IN (SELECT RS.IMAGE_ROW_ID FROM FERRY_RUN_ITEM RL "
			+ "JOIN FERRY_RUN_ITEM RS ON RS.JOB_INSTANCE_ID = RL.JOB_INSTANCE_ID AND RS.LINE = RL.LINE "
			+ "WHERE RL.IMAGE_ROW_ID = :ID AND RS.DISPOSITION = 'MIGRATE' AND RS.IMAGE_ROW_ID <> :ID "
			+ "AND RL.JOB_INSTANCE_ID = (SELECT MAX(JOB_INSTANCE_ID) FROM FERRY_RUN_ITEM WHERE IMAGE_ROW_ID = :ID)) "
			+ "AND STATE IN ("
			+ Arrays.stream(ImageState.values())
				.filter(ImageState::shared)
				.map((s) -> "'" + s.name() + "'")
				.collect(Collectors.joining(", "))
			+ ") AND STATE = (SELECT STATE FROM FERRY_IMAGE WHERE ID = :ID)";

	/**
	 * In the progress question over a run's items {@code R} and their rows {@code I}: the
	 * exports still to run, one per manifest line with a row not yet exported — the
	 * line's targets share its export. (A probe per row for the line's other rows made
	 * the question, asked every second by the progress line, cost a core's third at 4,000
	 * images.)
	 */
	static final String EXPORTS_STILL_TO_RUN = "COUNT(DISTINCT CASE WHEN I.STATE IN ('PENDING', 'READY', 'EXPORTING') "
			+ "THEN R.LINE END)";

	/**
	 * The conditions that narrow a question to some routes, and, in a shared state, to
	 * the first row of each source image among its rows of those routes in the run in
	 * that state (the other items of its manifest line). Of one route — the export stage
	 * of a run with one target — a line has one row: no probe for the others is needed,
	 * and none is made (it cost a quarter of a millisecond per in-flight count).
	 */
	static String scope(List<String> routes, ImageState state) {
		String scope = (routes != null) ? " AND I.ROUTE IN (:routes)" : "";
		if (state.shared() && (routes == null || routes.size() > 1)) {
			scope += " AND NOT EXISTS (SELECT 1 FROM FERRY_RUN_ITEM R2 JOIN FERRY_IMAGE S ON S.ID = R2.IMAGE_ROW_ID "
					+ "WHERE R2.JOB_INSTANCE_ID = R.JOB_INSTANCE_ID AND R2.LINE = R.LINE "
					+ "AND R2.DISPOSITION = 'MIGRATE' AND S.STATE = I.STATE AND S.ID < I.ID"
					+ ((routes != null) ? " AND S.ROUTE IN (:routes))" : ")");
		}
		return scope;
	}

	/**
	 * See {@link Ledger#lastOfTheirImage}.
	 */
	static Set<Long> lastOfTheirImage(NamedParameterJdbcTemplate jdbc, long instanceId, List<ImageRecord> rows) {
		if (rows.isEmpty()) {
			return Set.of();
		}
		Map<Long, Integer> order = new HashMap<>();
		for (int i = 0; i < rows.size(); i++) {
			order.put(rows.get(i).id(), i);
		}
		Map<Long, Boolean> last = new LinkedHashMap<>();
		rows.forEach((row) -> last.put(row.id(), true));
		jdbc.query(
				"SELECT RL.IMAGE_ROW_ID AS ROW_ID, S.ID AS SIBLING, S.STATE FROM FERRY_RUN_ITEM RL "
						+ "JOIN FERRY_RUN_ITEM RS ON RS.JOB_INSTANCE_ID = RL.JOB_INSTANCE_ID AND RS.LINE = RL.LINE "
						+ "JOIN FERRY_IMAGE S ON S.ID = RS.IMAGE_ROW_ID WHERE RL.JOB_INSTANCE_ID = :run "
						+ "AND RL.IMAGE_ROW_ID IN (:rows) AND S.ID <> RL.IMAGE_ROW_ID",
				new MapSqlParameterSource("run", instanceId).addValue("rows", List.copyOf(order.keySet())), (rs) -> {
					long row = rs.getLong("ROW_ID");
					Integer sibling = order.get(rs.getLong("SIBLING"));
					boolean waits = (sibling != null) ? sibling > order.get(row)
							: !ImageState.MIGRATED.name().equals(rs.getString("STATE"));
					if (waits) {
						last.put(row, false);
					}
				});
		return last.entrySet()
			.stream()
			.filter(Map.Entry::getValue)
			.map(Map.Entry::getKey)
			.collect(Collectors.toUnmodifiableSet());
	}

}

package org.imageferry.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.Assert;

import org.imageferry.manifest.Manifest;

/**
 * The per-image state table (process indicator): every stage reads the images in the
 * state it consumes and writes the state it produces, each change committed before
 * anything is done outside the process on its strength (a task POST, a copy) and at the
 * latest at the end of the pipeline's cycle that decided it, so a process killed at any
 * point leaves on disk a truth restart and nightly re-runs continue from.
 */
public class Ledger {

	/** What a record is read from, in {@code FERRY_IMAGE} alone. */
	private static final String COLUMNS = Column.selectList("");

	private final NamedParameterJdbcTemplate jdbc;

	private final Commits commits;

	private final Clock clock;

	private final Dialect dialect;

	/**
	 * A run's images looked up by state first ({@code FERRY_IMAGE_BY_STATE}), then their
	 * run item: H2 would otherwise walk every item of the run for each question.
	 */
	private final String fromRunByState;

	/**
	 * Whether a row may have rows beside it ({@link Siblings}): false in the view of a
	 * run with one target ({@link #ofOneTarget()}).
	 */
	private final boolean siblings;

	public Ledger(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
		this(new NamedParameterJdbcTemplate(dataSource), transactionManager, clock, Dialect.of(dataSource));
	}

	private Ledger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock,
			Dialect dialect) {
		this(jdbc, new Commits(transactionManager, () -> dialect.flush(jdbc.getJdbcOperations())), clock, dialect,
				true);
	}

	private Ledger(NamedParameterJdbcTemplate jdbc, Commits commits, Clock clock, Dialect dialect, boolean siblings) {
		this.jdbc = jdbc;
		this.commits = commits;
		this.clock = clock;
		this.dialect = dialect;
		this.siblings = siblings;
		this.fromRunByState = fromRun("FERRY_IMAGE_BY_STATE");
	}

	/**
	 * The same ledger (its commits gathered with this one's), for the pipeline of a run
	 * with one target: a row has no rows beside it, so a move in a shared state is its
	 * own only, and the statement that would find the others is not made (three per
	 * image, each a join of the run's items); and each row is the last of its image to
	 * finish.
	 */
	public Ledger ofOneTarget() {
		return new Ledger(this.jdbc, this.commits, this.clock, this.dialect, false);
	}

	/**
	 * At most {@code :limit} of a run's images (of {@code routes}; null: every route) in
	 * {@code :state} (READY), largest first, by their size rank
	 * ({@code FERRY_IMAGE_BY_READY_SIZE}, {@link Column#READY_SIZE}); in a shared state
	 * one row per source image ({@link Siblings#scope}).
	 */
	String largestReadyFirst(List<String> routes) {
		return "SELECT " + Column.selectList("I.") + fromRun("FERRY_IMAGE_BY_READY_SIZE")
				+ "AND I.READY_SIZE >= 0 AND I.STATE = :state" + Siblings.scope(routes, ImageState.READY)
				+ " ORDER BY I.READY_SIZE DESC, I.ID LIMIT :limit";
	}

	/**
	 * Records a run's manifest: a run item for every line and target, and a ledger row
	 * for every image and target to migrate. Images an earlier run migrated to a target
	 * are skipped there unless {@code force}; images an earlier run failed are tried
	 * again. Idempotent: running it again for the same run replaces what it wrote.
	 * @param targets the run's targets, in the profile's order
	 */
	public void recordRun(long instanceId, List<RunTarget> targets, Manifest manifest, boolean force) {
		this.commits.now(() -> new RunRecording(this.jdbc, now()).record(instanceId, targets, manifest, force));
	}

	/** Records a run of one target, named by its route alone. */
	public void recordRun(long instanceId, String route, Manifest manifest, boolean force) {
		recordRun(instanceId, List.of(new RunTarget("", route)), manifest, force);
	}

	/** This run's images in a state, oldest row first. */
	public List<ImageRecord> images(long instanceId, ImageState state) {
		return images(instanceId, Integer.MAX_VALUE, state);
	}

	/**
	 * At most {@code limit} of this run's images in a state, oldest row first (manifest
	 * order, for images a manifest brought in); in a {@link ImageState#shared() shared}
	 * state one row per source image, the first of its targets. Read in the order of the
	 * state index — {@code ORDER BY STATE, ID}, which H2 reads "index sorted" and stops
	 * after {@code limit} rows; {@code ORDER BY ID} alone would read every row in the
	 * state — so the cost follows the limit, not the size of the run or the queue: the
	 * pipeline asks this several times a cycle.
	 */
	public List<ImageRecord> images(long instanceId, int limit, ImageState state) {
		return images(instanceId, null, limit, state);
	}

	/**
	 * The same, of the given routes only (a stage of one target); {@code routes} null:
	 * every route of the run.
	 */
	public List<ImageRecord> images(long instanceId, List<String> routes, int limit, ImageState state) {
		return images(instanceId, routes, limit, state, StartOrder.MANIFEST);
	}

	/**
	 * At most {@code limit} of this run's images in a state (of the given routes; null:
	 * every route), in the given order: oldest row first, as
	 * {@link #images(long, int, ImageState)}, or — for {@link ImageState#READY}, the only
	 * state ranked by size — the largest first (ties oldest row first), read from the top
	 * of {@code FERRY_IMAGE_BY_READY_SIZE} ({@code READY_SIZE DESC, ID}) index sorted, so
	 * a wave of largest-first starts costs its size too. {@code READY_SIZE >= 0} bounds
	 * the read to the ranked rows: H2 takes no index condition from {@code IS NOT NULL},
	 * and would walk every other image's NULL entry when fewer are ready than asked for.
	 */
	public List<ImageRecord> images(long instanceId, List<String> routes, int limit, ImageState state,
			StartOrder order) {
		MapSqlParameterSource parameters = question(instanceId, routes, state).addValue("limit", limit);
		if (order == StartOrder.MANIFEST) {
			return this.jdbc.query(
					"SELECT " + Column.selectList("I.") + this.fromRunByState + "AND I.STATE = :state"
							+ Siblings.scope(routes, state) + " ORDER BY I.STATE, I.ID LIMIT :limit",
					parameters, ImageRows::read);
		}
		Assert.isTrue(state == ImageState.READY, () -> "only READY images are ranked by size, not " + state);
		return this.jdbc.query(largestReadyFirst(routes), parameters, ImageRows::read);
	}

	/**
	 * Whether any of this run's images is in one of the given states: one index-sorted
	 * question per state. (One {@code STATE IN (…) LIMIT 1} query failed under load with
	 * H2 2.4's "MVStoreException: Chunk … not found".)
	 */
	public boolean any(long instanceId, ImageState... states) {
		return Arrays.stream(states).anyMatch((state) -> !images(instanceId, 1, state).isEmpty());
	}

	/**
	 * How many of this run's images are in a state (in a shared state: how many source
	 * images).
	 */
	public int count(long instanceId, ImageState state) {
		return count(instanceId, null, state);
	}

	/**
	 * The same, of the given routes only; {@code routes} null: every route of the run.
	 */
	public int count(long instanceId, List<String> routes, ImageState state) {
		return this.jdbc.queryForObject(
				"SELECT COUNT(*)" + this.fromRunByState + "AND I.STATE = :state" + Siblings.scope(routes, state),
				question(instanceId, routes, state), Integer.class);
	}

	private static MapSqlParameterSource question(long instanceId, List<String> routes, ImageState state) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("run", instanceId).addValue("state", state.name());
		return (routes != null) ? parameters.addValue("routes", routes) : parameters;
	}

	/**
	 * A page of this run's images in one state with ids above {@code afterId}, for
	 * readers that page; read index-sorted like {@link #images(long, int, ImageState)},
	 * so a page costs its size, not the number of rows still in the state.
	 */
	public List<ImageRecord> page(long instanceId, ImageState state, long afterId, int limit) {
		return this.jdbc.query(
				"SELECT " + Column.selectList("I.") + this.fromRunByState
						+ "AND I.STATE = :state AND I.ID > :after ORDER BY I.STATE, I.ID LIMIT :limit",
				new MapSqlParameterSource("run", instanceId).addValue("state", state.name())
					.addValue("after", afterId)
					.addValue("limit", limit),
				ImageRows::read);
	}

	/** How far a run is (see {@link Progress}). */
	public Progress progress(long instanceId) {
		return Progress.of(this.jdbc, instanceId);
	}

	/** The ledger's row for an image on a route, if any run recorded it. */
	public java.util.Optional<ImageRecord> find(String route, String sourceImageId) {
		return this.jdbc
			.query("SELECT " + COLUMNS + " FROM FERRY_IMAGE WHERE ROUTE = :route AND SOURCE_IMAGE_ID = :image",
					new MapSqlParameterSource("route", route).addValue("image", sourceImageId), ImageRows::read)
			.stream()
			.findFirst();
	}

	public ImageRecord image(long rowId) {
		return this.jdbc.queryForObject("SELECT " + COLUMNS + " FROM FERRY_IMAGE WHERE ID = :id", Map.of("id", rowId),
				ImageRows::read);
	}

	/**
	 * Every manifest line of a run with its image's row, for each target, in manifest
	 * order (a line's targets by name).
	 */
	public List<RunItem> runItems(long instanceId) {
		return this.jdbc.query("SELECT R.LINE, R.TARGET, R.SOURCE_IMAGE_ID AS ITEM_IMAGE, R.DISPOSITION, R.PROBLEM, "
				+ Column.selectList("I.") + " FROM FERRY_RUN_ITEM R LEFT JOIN FERRY_IMAGE I ON I.ID = R.IMAGE_ROW_ID "
				+ "WHERE R.JOB_INSTANCE_ID = :run ORDER BY R.LINE, R.TARGET", Map.of("run", instanceId),
				(rs, n) -> new RunItem(rs.getInt("LINE"), rs.getString("TARGET"), rs.getString("ITEM_IMAGE"),
						RunItem.Disposition.valueOf(rs.getString("DISPOSITION")), rs.getString("PROBLEM"),
						(rs.getObject("ID") != null) ? ImageRows.read(rs, n) : null));
	}

	/**
	 * Moves an image to a state, committed at once (with what the cycle on this thread
	 * gathered, if one does: {@link #gathered}).
	 */
	public void update(Transition transition) {
		this.commits.now(() -> write(transition));
	}

	/**
	 * Several images' moves, committed together: one commit for what one poll or one wave
	 * of task starts decided, instead of one per image — or, in a {@link #gathered}
	 * cycle, with the rest of what the cycle decides.
	 */
	public void updateAll(List<Transition> transitions) {
		if (!transitions.isEmpty()) {
			this.commits.now(() -> transitions.forEach(this::write));
		}
	}

	/**
	 * Several images' moves that must be on disk before the caller acts on them outside
	 * the process (the intents before their task POSTs): committed now, in a
	 * {@link #gathered} cycle together with what it gathered so far, and written to the
	 * file before this returns ({@link Commits#durably}).
	 */
	public void updateDurably(List<Transition> transitions) {
		if (!transitions.isEmpty()) {
			this.commits.durably(() -> transitions.forEach(this::write));
		}
	}

	/**
	 * Several images' moves that other threads must see before the caller goes on (a
	 * transfer's start, before its copy writes its progress beside it): committed now, in
	 * a {@link #gathered} cycle together with what it gathered so far.
	 */
	public void updateVisibly(List<Transition> transitions) {
		if (!transitions.isEmpty()) {
			this.commits.visibly(() -> transitions.forEach(this::write));
		}
	}

	/**
	 * Runs one cycle of the pipeline with the ledger writes it makes on this thread in
	 * one commit at its end (see {@link Commits#gathered}).
	 */
	public <T> T gathered(Supplier<T> cycle) {
		return this.commits.gathered(cycle);
	}

	/**
	 * Moves an image to a state as part of the caller's transaction (a chunk's), which
	 * commits it with the step's own progress.
	 */
	public void updateInTransaction(Transition transition) {
		write(transition);
	}

	private void write(Transition transition) {
		Map<String, Object> values = new LinkedHashMap<>();
		transition.values().forEach((column, value) -> values.put(column.name(), value));
		values.put(Column.STATE.name(), transition.state().name());
		values.put(Column.UPDATED_AT.name(), now());
		String assignments = values.keySet().stream().map((c) -> c + " = :" + c).collect(Collectors.joining(", "))
				+ ", " + Column.READY_SIZE.name() + " = " + readySize(transition);
		MapSqlParameterSource parameters = new MapSqlParameterSource("ID", transition.rowId());
		values.forEach((column, value) -> parameters.addValue(column,
				(value instanceof Instant instant) ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value));
		if (transition.shared() && this.siblings) {
			// first the rows beside it, while the row still has the state they share
			this.jdbc.update("UPDATE FERRY_IMAGE SET " + assignments + Siblings.OF_ROW, parameters);
		}
		this.jdbc.update("UPDATE FERRY_IMAGE SET " + assignments + " WHERE ID = :ID", parameters);
	}

	/**
	 * What a move writes to {@link Column#READY_SIZE}: the size pre-flight found when the
	 * image becomes or goes back to ready (an export not started: the size it has), NULL
	 * in any other state. Written with every move, it changes — and its index with it —
	 * only on the way into and out of READY: H2 leaves an index entry alone when its
	 * columns keep their values.
	 */
	private static String readySize(Transition transition) {
		if (transition.state() != ImageState.READY) {
			return "NULL";
		}
		return transition.values().containsKey(Column.SOURCE_SIZE) ? ":" + Column.SOURCE_SIZE.name()
				: "COALESCE(" + Column.SOURCE_SIZE.name() + ", 0)";
	}

	/**
	 * Which of these rows, about to be finished together, are the last of their image in
	 * the run: every other target's row of its manifest line is migrated already, or
	 * among {@code rows} (then only the last of those in {@code rows}' order counts).
	 * Their finishing may delete the source's export, which no target needs any longer; a
	 * target still on its way, or failed (its next run adopts the export), keeps it.
	 */
	public Set<Long> lastOfTheirImage(long instanceId, List<ImageRecord> rows) {
		if (!this.siblings) {
			return rows.stream().map(ImageRecord::id).collect(Collectors.toUnmodifiableSet());
		}
		return Siblings.lastOfTheirImage(this.jdbc, instanceId, rows);
	}

	/** Whether any migrated image of a route has objects its clean-up left behind. */
	public boolean anyLeftovers(String route) {
		return !withLeftovers(route, 0, 1).isEmpty();
	}

	/**
	 * A page of a route's migrated images that have objects their clean-up left behind,
	 * with ids above {@code afterId}, by id: whichever run migrated them, the next one
	 * deletes what they left.
	 */
	public List<ImageRecord> withLeftovers(String route, long afterId, int limit) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM FERRY_IMAGE" + this.dialect.useIndex("FERRY_IMAGE_BY_STATE")
				+ " WHERE STATE = 'MIGRATED' AND ID > :after AND ROUTE = :route AND CLEANUP_LEFTOVERS IS NOT NULL "
				+ "ORDER BY STATE, ID LIMIT :limit",
				new MapSqlParameterSource("route", route).addValue("after", afterId).addValue("limit", limit),
				ImageRows::read);
	}

	/**
	 * Records what a later clean-up of migrated images left (an empty list: nothing),
	 * committed together at once; an image no longer migrated is left alone.
	 */
	public void recordLeftovers(Map<Long, List<Leftover>> leftovers) {
		this.commits.now(() -> leftovers.forEach((rowId, left) -> this.jdbc.update(
				"UPDATE FERRY_IMAGE SET CLEANUP_LEFTOVERS = :left, UPDATED_AT = :now WHERE ID = :id "
						+ "AND STATE = 'MIGRATED'",
				new MapSqlParameterSource("id", rowId).addValue("left", Leftover.format(left))
					.addValue("now", now()))));
	}

	private String fromRun(String stateIndex) {
		return " FROM FERRY_IMAGE I" + this.dialect.useIndex(stateIndex) + " JOIN FERRY_RUN_ITEM R"
				+ this.dialect.useIndex("FERRY_RUN_ITEM_IMAGE")
				+ " ON R.IMAGE_ROW_ID = I.ID WHERE R.JOB_INSTANCE_ID = :run AND R.DISPOSITION = 'MIGRATE' ";
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	public Instant instant() {
		return this.clock.instant();
	}

}

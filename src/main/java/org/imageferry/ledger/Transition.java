package org.imageferry.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One image's move to a state, with what the move records: made only by the factories
 * below, one per change of state the pipeline knows, so what a stage may write is said by
 * its name, and which columns that takes stays inside the ledger. Transitions are values:
 * a stage decides them, and whoever commits (at once, or several together) writes them
 * with {@link Ledger#update}, {@link Ledger#updateAll} or
 * {@link Ledger#updateInTransaction}.
 */
public final class Transition {

	/** The longest failure message the ledger keeps. */
	private static final int MESSAGE_LIMIT = 2000;

	private final long rowId;

	private final ImageState state;

	private final Map<Column, Object> values;

	/**
	 * Whether the move may be made from a {@link ImageState#shared() shared} state, and
	 * so is also the move of the image's other rows beside this one (the ledger checks
	 * the states).
	 */
	private final boolean shared;

	private Transition(long rowId, ImageState state, Map<Column, Object> values, boolean shared) {
		this.rowId = rowId;
		this.state = state;
		this.values = Collections.unmodifiableMap(values);
		this.shared = shared;
	}

	private static Transition to(long rowId, ImageState state) {
		return new Transition(rowId, state, new EnumMap<>(Column.class), false);
	}

	private Transition set(Column column, Object value) {
		Map<Column, Object> all = new EnumMap<>(Column.class);
		all.putAll(this.values);
		all.put(column, value);
		return new Transition(this.rowId, this.state, all, this.shared);
	}

	private Transition shared(boolean shared) {
		return new Transition(this.rowId, this.state, this.values, shared);
	}

	boolean shared() {
		return this.shared;
	}

	public long rowId() {
		return this.rowId;
	}

	public ImageState state() {
		return this.state;
	}

	/** The columns the move sets besides the state, for the ledger to write. */
	Map<Column, Object> values() {
		return this.values;
	}

	/** Pre-flight passed: the source image's name and size. */
	public static Transition ready(long rowId, String sourceName, long sourceSize) {
		return to(rowId, ImageState.READY).set(Column.SOURCE_NAME, sourceName).set(Column.SOURCE_SIZE, sourceSize);
	}

	/**
	 * Pre-flight found the image migrated already (the target has an image with its
	 * provenance): finished, as that image.
	 */
	public static Transition alreadyMigrated(long rowId, String targetImageId, Instant at) {
		return to(rowId, ImageState.MIGRATED).set(Column.TARGET_IMAGE_ID, targetImageId).set(Column.FINISHED_AT, at);
	}

	/**
	 * The intent to start a task, committed before its POST: the image is in flight from
	 * {@code at}, without a task id yet.
	 */
	public static Transition taskRequested(long rowId, TaskKind kind, Instant at) {
		return to(rowId, kind.inFlight()).set(kind.requestedAtColumn, at)
			.set(kind.startedAtColumn, at)
			.shared(kind.before().shared());
	}

	/** The task of an intent is known: created by the POST, or found by listing. */
	public static Transition taskCreated(long rowId, TaskKind kind, String taskId) {
		return to(rowId, kind.inFlight()).set(kind.taskIdColumn, taskId).shared(kind.before().shared());
	}

	/** Back to the state before the intent: no task was started. */
	public static Transition taskNotStarted(long rowId, TaskKind kind) {
		return to(rowId, kind.before()).set(kind.requestedAtColumn, null).shared(kind.before().shared());
	}

	/** The export is in the source container at {@code location}. */
	public static Transition exported(long rowId, String location, Instant at) {
		return to(rowId, ImageState.EXPORTED).set(Column.EXPORT_LOCATION, location)
			.set(TaskKind.EXPORT.endedAtColumn, at)
			.shared(true);
	}

	/** The transfer begins (or resumes): from now on a restart resumes it. */
	public static Transition transferStarted(long rowId, Instant at) {
		return to(rowId, ImageState.TRANSFERRING).set(Column.TRANSFER_STARTED_AT, at);
	}

	/** How far a transfer is: segments in the target, and their bytes. */
	public static Transition transferProgress(long rowId, int segments, int segmentsDone, long bytesMoved) {
		return to(rowId, ImageState.TRANSFERRING).set(Column.SEGMENTS, segments)
			.set(Column.SEGMENTS_DONE, segmentsDone)
			.set(Column.BYTES_MOVED, bytesMoved);
	}

	/** Every segment and the manifest are in the target, checked. */
	public static Transition transferred(long rowId, int segments, long bytesMoved, Instant at) {
		return to(rowId, ImageState.TRANSFERRED).set(Column.TRANSFER_ENDED_AT, at)
			.set(Column.SEGMENTS, segments)
			.set(Column.SEGMENTS_DONE, segments)
			.set(Column.BYTES_MOVED, bytesMoved);
	}

	/** The import made {@code targetImageId}. */
	public static Transition imported(long rowId, String targetImageId, Instant at) {
		return to(rowId, ImageState.IMPORTED).set(Column.TARGET_IMAGE_ID, targetImageId)
			.set(TaskKind.IMPORT.endedAtColumn, at);
	}

	/**
	 * Finished: metadata copied but for the properties the target refused (its warning;
	 * none when empty).
	 */
	public static Transition migrated(long rowId, List<String> propertiesNotCopied, Instant at) {
		String keys = String.join("\n", propertiesNotCopied);
		return to(rowId, ImageState.MIGRATED).set(Column.FINISHED_AT, at)
			.set(Column.PROPERTIES_NOT_COPIED,
					keys.isEmpty() ? null : (keys.length() > 2000) ? keys.substring(0, 1999) + "…" : keys);
	}

	/**
	 * The same move, also recording what the image's clean-up left behind (none: an empty
	 * list).
	 */
	public Transition withLeftovers(List<Leftover> leftovers) {
		return set(Column.CLEANUP_LEFTOVERS, Leftover.format(leftovers));
	}

	/** Finished without a migrated image, for the reason {@code code} names. */
	public static Transition failed(long rowId, String code, String message, Instant at) {
		return to(rowId, ImageState.FAILED).set(Column.FAILURE_CODE, code)
			.set(Column.FAILURE_MESSAGE,
					(message.length() > MESSAGE_LIMIT) ? message.substring(0, MESSAGE_LIMIT) : message)
			.set(Column.FINISHED_AT, at)
			.shared(true);
	}

	@Override
	public String toString() {
		return "row " + this.rowId + " to " + this.state + " " + this.values;
	}

}

package org.imageferry.ledger;

import java.time.Instant;
import java.util.function.Function;

/**
 * The two kinds of Cloud Images task image-ferry runs, all that differs between them in
 * one place: the task type and the input that names its image as the API has them, the
 * prefix of its failure codes, and where each keeps its state in the ledger — the state
 * it starts from, the state while in flight, the state on success, and its columns.
 */
public enum TaskKind {

	EXPORT("export", "image_uuid", "EXPORT", ImageState.READY, ImageState.EXPORTING, ImageState.EXPORTED,
			Column.EXPORT_TASK_ID, Column.EXPORT_REQUESTED_AT, Column.EXPORT_STARTED_AT, Column.EXPORT_ENDED_AT,
			ImageRecord::exportTaskId, ImageRecord::exportRequestedAt),

	IMPORT("import", "import_from", "IMPORT", ImageState.TRANSFERRED, ImageState.IMPORTING, ImageState.IMPORTED,
			Column.IMPORT_TASK_ID, Column.IMPORT_REQUESTED_AT, Column.IMPORT_STARTED_AT, Column.IMPORT_ENDED_AT,
			ImageRecord::importTaskId, ImageRecord::importRequestedAt);

	private final String type;

	private final String inputKey;

	private final String codePrefix;

	private final ImageState before;

	private final ImageState inFlight;

	private final ImageState done;

	final Column taskIdColumn;

	final Column requestedAtColumn;

	final Column startedAtColumn;

	final Column endedAtColumn;

	private final Function<ImageRecord, String> taskId;

	private final Function<ImageRecord, Instant> requestedAt;

	TaskKind(String type, String inputKey, String codePrefix, ImageState before, ImageState inFlight, ImageState done,
			Column taskIdColumn, Column requestedAtColumn, Column startedAtColumn, Column endedAtColumn,
			Function<ImageRecord, String> taskId, Function<ImageRecord, Instant> requestedAt) {
		this.type = type;
		this.inputKey = inputKey;
		this.codePrefix = codePrefix;
		this.before = before;
		this.inFlight = inFlight;
		this.done = done;
		this.taskIdColumn = taskIdColumn;
		this.requestedAtColumn = requestedAtColumn;
		this.startedAtColumn = startedAtColumn;
		this.endedAtColumn = endedAtColumn;
		this.taskId = taskId;
		this.requestedAt = requestedAt;
	}

	/** The task type as the API names it. */
	public String type() {
		return this.type;
	}

	/** The input field that identifies the image a task works on. */
	public String inputKey() {
		return this.inputKey;
	}

	public ImageState before() {
		return this.before;
	}

	public ImageState inFlight() {
		return this.inFlight;
	}

	public ImageState done() {
		return this.done;
	}

	/**
	 * A failure code of this kind's task, e.g. {@code EXPORT_FAILED} for {@code FAILED}.
	 */
	public String failureCode(String reason) {
		return this.codePrefix + "_" + reason;
	}

	/** The id of the row's task of this kind, null while the POST's answer is not in. */
	public String taskId(ImageRecord row) {
		return this.taskId.apply(row);
	}

	/** When the row's task of this kind was requested, if it was. */
	public Instant requestedAt(ImageRecord row) {
		return this.requestedAt.apply(row);
	}

}

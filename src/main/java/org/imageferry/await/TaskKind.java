package org.imageferry.await;

import org.imageferry.ledger.ImageState;

/**
 * The two kinds of Cloud Images task image-ferry runs, and where each keeps its state in
 * the ledger: the state it starts from, the state while in flight, the state on success,
 * and its columns.
 */
public enum TaskKind {

	EXPORT("export", ImageState.READY, ImageState.EXPORTING, ImageState.EXPORTED, "EXPORT"),

	IMPORT("import", ImageState.TRANSFERRED, ImageState.IMPORTING, ImageState.IMPORTED, "IMPORT");

	private final String type;

	private final ImageState before;

	private final ImageState inFlight;

	private final ImageState done;

	private final String column;

	TaskKind(String type, ImageState before, ImageState inFlight, ImageState done, String column) {
		this.type = type;
		this.before = before;
		this.inFlight = inFlight;
		this.done = done;
		this.column = column;
	}

	/** The task type as the API names it. */
	public String type() {
		return this.type;
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

	String column() {
		return this.column;
	}

	/** The input field that identifies the image a task works on. */
	String inputKey() {
		return (this == EXPORT) ? "image_uuid" : "import_from";
	}

	String taskIdColumn() {
		return this.column + "_TASK_ID";
	}

	String requestedAtColumn() {
		return this.column + "_REQUESTED_AT";
	}

	String startedAtColumn() {
		return this.column + "_STARTED_AT";
	}

	String endedAtColumn() {
		return this.column + "_ENDED_AT";
	}

	/** The failure code of a task that ended in {@code failure}. */
	String failureCode() {
		return this.column + "_FAILED";
	}

}

package org.imageferry.ledger;

/**
 * Where an image's migration stands. Each stage moves images from the state it consumes
 * to the one it produces; restart and re-runs read these states, never in-memory
 * progress.
 */
public enum ImageState {

	/** Listed in a manifest, not yet checked. */
	PENDING,
	/** Pre-flight passed: exists, owned, exportable, within the size limit. */
	READY,
	/**
	 * An export task was (or is being) created; {@code EXPORT_TASK_ID} set once the cloud
	 * answered.
	 */
	EXPORTING,
	/** The export succeeded; the Dynamic Large Object is in the source container. */
	EXPORTED,
	/** Segments are being copied to the target region. */
	TRANSFERRING,
	/** Every segment and the manifest are in the target container, MD5-checked. */
	TRANSFERRED,
	/** An import task was (or is being) created. */
	IMPORTING,
	/** The import succeeded; {@code TARGET_IMAGE_ID} is the new image. */
	IMPORTED,
	/** Metadata copied and clean-up done: finished. */
	MIGRATED,
	/**
	 * Finished without a migrated image; {@code FAILURE_CODE} and {@code FAILURE_MESSAGE}
	 * say why.
	 */
	FAILED;

	public boolean terminal() {
		return this == MIGRATED || this == FAILED;
	}

	/**
	 * Whether the rows of one source image in a run share this state, one per target: the
	 * export's states. An image is exported once whatever the number of targets, so until
	 * its export is in the container its rows move together — the pipeline asks for one
	 * row per image in these states, and a move of that row is the move of every row of
	 * the image still beside it ({@link Ledger}).
	 */
	public boolean shared() {
		return this == READY || this == EXPORTING;
	}

}

package org.imageferry.ledger;

/**
 * Which of the images waiting for a task a stage starts first (profile key {@code order},
 * for exports; imports and transfers always go first come, first served).
 */
public enum StartOrder {

	/**
	 * The largest image first (ties in manifest order): cloud tasks take longer the
	 * larger the image, so a long chain started last would leave the run waiting on it
	 * alone while the other slots idle; started first, it overlaps the many short ones.
	 */
	LARGEST_FIRST,

	/** Manifest order: the images in the order the manifest lists them. */
	MANIFEST

}

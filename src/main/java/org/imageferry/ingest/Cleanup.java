package org.imageferry.ingest;

/**
 * Which exported objects to delete once an image's import has succeeded: the export in
 * the source region, the copy in the target region, both, or none.
 */
public enum Cleanup {

	NONE, SOURCE, TARGET, BOTH;

	boolean source() {
		return this == SOURCE || this == BOTH;
	}

	boolean target() {
		return this == TARGET || this == BOTH;
	}

}

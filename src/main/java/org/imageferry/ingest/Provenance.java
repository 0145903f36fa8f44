package org.imageferry.ingest;

/**
 * The property a migrated image carries in the target region: where it came from. It
 * documents the image for people and lets a later run recognise an image already migrated
 * even without this machine's ledger.
 */
public final class Provenance {

	public static final String PROPERTY = "image_ferry_source";

	private Provenance() {
	}

	/** e.g. {@code DFW:7bdc8ede-9098-4d79-9477-697f586cb333} */
	public static String value(String sourceRegion, String sourceImageId) {
		return sourceRegion + ":" + sourceImageId;
	}

}

package org.imageferry.cloud;

/**
 * One end of a migration: an account's Cloud Images and Cloud Files in one region, and
 * the container that holds exported objects there.
 */
public record Side(String region, AccountSession session, ImagesClient images, SwiftClient files, String container) {

	/** How the ledger names this side: region and user, e.g. {@code DFW:alice}. */
	public String key() {
		return this.region + ":" + this.session.username();
	}

	/**
	 * The object an export of {@code imageId} writes (and an import reads) in this side's
	 * container.
	 */
	public String objectName(String imageId) {
		return imageId + ".vhd";
	}

	public String location(String imageId) {
		return this.container + "/" + objectName(imageId);
	}

}

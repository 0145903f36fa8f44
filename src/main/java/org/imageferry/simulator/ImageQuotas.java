package org.imageferry.simulator;

/**
 * Glance's per-image quotas at their defaults ({@code image_property_quota} and
 * {@code image_tag_quota}, 128 each): a change that leaves an image with more is refused
 * 413 with Glance's text, while an image already above a quota may still shrink.
 * Rackspace's tests expect the 413; they do not say its numbers.
 */
final class ImageQuotas {

	static final int PROPERTIES = 128;

	static final int TAGS = 128;

	private ImageQuotas() {
	}

	/**
	 * @param before the image's extra properties before the change (the
	 * {@code com.rackspace} ones count, as in Glance)
	 * @param after how many it would have after
	 */
	static void checkProperties(int before, int after) {
		if (after > PROPERTIES && after > before) {
			throw new ApiError(413, "The limit has been exceeded on the number of allowed image properties. Attempted: "
					+ after + ", Maximum: " + PROPERTIES);
		}
	}

	static void checkTags(int before, int after) {
		if (after > TAGS && after > before) {
			throw new ApiError(413, tagsExceeded(after));
		}
	}

	/** Glance's text, which {@code PUT .../tags/{tag}} wraps in its own. */
	static String tagsExceeded(int attempted) {
		return "The limit has been exceeded on the number of allowed image tags. Attempted: " + attempted
				+ ", Maximum: " + TAGS;
	}

}

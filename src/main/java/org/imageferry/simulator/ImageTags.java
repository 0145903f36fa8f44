package org.imageferry.simulator;

import java.io.IOException;

/**
 * {@code PUT /v2/images/{id}/tags/{tag}} and {@code DELETE /v2/images/{id}/tags/{tag}},
 * as Rackspace documents them: 204 both, a tag already there is no change, deleting one
 * that is not there is 404. Only the owner may change them; a tag is at most 255
 * characters, an image has at most {@link ImageQuotas#TAGS}.
 */
final class ImageTags {

	private ImageTags() {
	}

	static void handle(Exchange ex, SimImage image, String tenant, String tag) throws IOException {
		boolean put = ex.method().equals("PUT");
		if (!put && !ex.method().equals("DELETE")) {
			throw new ApiError(405, "Method Not Allowed");
		}
		if (!image.owner.equals(tenant)) {
			throw new ApiError(403,
					"Not allowed to " + (put ? "update" : "delete") + " tags for image " + image.id + ".");
		}
		synchronized (image) {
			if (put) {
				add(image, tag);
			}
			else if (!image.tags.remove(tag)) {
				throw new ApiError(404, "The resource could not be found.");
			}
			image.updatedAt = image.clock.instant();
		}
		ex.sendEmpty(204);
	}

	private static void add(SimImage image, String tag) {
		check(tag);
		if (image.tags.contains(tag)) {
			return;
		}
		if (image.tags.size() + 1 > ImageQuotas.TAGS) {
			throw new ApiError(413, "Image tag limit exceeded for image " + image.id + ": "
					+ ImageQuotas.tagsExceeded(image.tags.size() + 1));
		}
		image.tags.add(tag);
	}

	/** Glance's image schema: a tag is a string of at most 255 characters. */
	static void check(String tag) {
		if (tag.isEmpty() || tag.length() > 255) {
			throw new ApiError(400,
					"Provided object does not match schema 'image': a tag is 1 to 255 characters, not " + tag.length());
		}
	}

}

package org.imageferry.cloud;

import java.util.List;
import java.util.Map;

/**
 * An image as Cloud Images v2 shows it; {@code properties} holds the extra ones
 * (Rackspace's {@code com.rackspace__1__options}, {@code os_distro}, custom ones).
 */
public record ImageInfo(String id, String name, String status, String owner, long size, int minDisk, int minRam,
		List<String> tags, Map<String, String> properties) {

	/**
	 * The Rackspace property that says whether an image may be exported: only "0" allows
	 * it.
	 */
	public static final String OPTIONS = "com.rackspace__1__options";

	public boolean exportable() {
		return "0".equals(this.properties.get(OPTIONS));
	}

}

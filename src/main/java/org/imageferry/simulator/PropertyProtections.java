package org.imageferry.simulator;

import java.util.Set;

/**
 * Which image attributes a customer's JSON patch may not touch, and Glance's words for
 * the 403. One place for the whole list, because it is partly documented, partly what
 * Rackspace's own test suites assert and partly a guess (see RACKSPACE.md, "Image
 * properties and their protections").
 * <p>
 * Always refused, as upstream Glance does: the read-only core fields, the reserved
 * {@code location}, {@code deleted} and {@code deleted_at}, and every
 * {@code com.rackspace*} property (Rackspace documents those as protected). With
 * {@link Rules#protectedProperties()} also the properties Rackspace's tests expect a 403
 * for, and the uncertain ones.
 */
final class PropertyProtections {

	/** Core fields only the cloud sets. */
	private static final Set<String> READ_ONLY = Set.of("id", "status", "size", "virtual_size", "checksum",
			"created_at", "updated_at", "self", "file", "schema", "direct_url", "locations", "os_hash_algo",
			"os_hash_value");

	/** Glance's reserved attributes. */
	private static final Set<String> RESERVED = Set.of("location", "deleted", "deleted_at");

	/** Rackspace's tests expect 403 for these (cloudroast, image properties). */
	private static final Set<String> STRICT = Set.of("image_type", "os_type", "user_id", "visibility");

	/**
	 * Uncertain: they drive billing and "may not be settable by customers" (a Rackspace
	 * engineer, rackspace-how-to #528), while other tools set them. Refused only with the
	 * strict rules, like {@link #STRICT}; drop them from here if Rackspace turns out to
	 * accept them.
	 */
	private static final Set<String> STRICT_UNCERTAIN = Set.of("org.openstack__1__os_distro",
			"org.openstack__1__os_version", "org.openstack__1__architecture");

	private PropertyProtections() {
	}

	/**
	 * Refuses an operation on {@code attribute} with Glance's 403 when it is protected.
	 * @param strict whether {@link Rules#protectedProperties()} is on
	 */
	static void check(String attribute, boolean strict) {
		if (READ_ONLY.contains(attribute)) {
			throw new ApiError(403, "Attribute '" + attribute + "' is read-only.");
		}
		if (attribute.equals("owner")) {
			throw new ApiError(403, "Owner can't be updated by non admin.");
		}
		if (RESERVED.contains(attribute) || attribute.startsWith("com.rackspace")
				|| (strict && (STRICT.contains(attribute) || STRICT_UNCERTAIN.contains(attribute)))) {
			throw new ApiError(403, "Attribute '" + attribute + "' is reserved.");
		}
	}

}

package org.imageferry.cloud;

import java.util.Set;

/**
 * The image attributes Rackspace refuses to let a customer set: image-ferry never sends
 * them, neither copied from a source image nor from a profile's {@code set-properties}.
 * Glance refuses a JSON patch whole when one operation touches one of them (403), so a
 * single such key would cost every other property of the image.
 * <p>
 * The list is Rackspace's own, as far as it is known (RACKSPACE.md, "Image properties and
 * their protections"): every {@code com.rackspace*} property (documented), the keys
 * Rackspace's test suites expect a 403 for ({@code image_type}, {@code os_type},
 * {@code owner}, {@code user_id}, {@code location}, {@code visibility}), and Glance's
 * read-only and reserved core fields. The formats can be set only while an image is
 * queued, which an imported one never is.
 * <p>
 * {@link #UNCERTAIN} keys are not in the list: other tools set them, and Rackspace may
 * accept them; when it refuses, finishing narrows the refusal down and names them in the
 * image's warning, so an operator learns which way it went.
 */
public final class ProtectedProperties {

	/** Every property with this prefix is Rackspace's, and protected. */
	public static final String RACKSPACE_PREFIX = "com.rackspace";

	/** Named in Rackspace's test suites as refused with 403. */
	private static final Set<String> RACKSPACE = Set.of("image_type", "os_type", "owner", "user_id", "location",
			"visibility");

	/** Glance's core fields that only the cloud sets, and its reserved attributes. */
	private static final Set<String> GLANCE = Set.of("id", "status", "size", "virtual_size", "checksum", "created_at",
			"updated_at", "self", "file", "schema", "direct_url", "locations", "os_hash_algo", "os_hash_value",
			"deleted", "deleted_at", "container_format", "disk_format");

	/**
	 * Drive billing and "may not be settable by customers" (a Rackspace engineer,
	 * rackspace-how-to #528), while other tools set them: sent, and expected to be
	 * refused.
	 */
	public static final Set<String> UNCERTAIN = Set.of("org.openstack__1__os_distro", "org.openstack__1__os_version",
			"org.openstack__1__architecture");

	private ProtectedProperties() {
	}

	/** Whether Rackspace is known to refuse a patch that sets {@code key}. */
	public static boolean isProtected(String key) {
		return key.startsWith(RACKSPACE_PREFIX) || RACKSPACE.contains(key) || GLANCE.contains(key);
	}

}

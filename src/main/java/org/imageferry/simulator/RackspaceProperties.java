package org.imageferry.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The properties a Rackspace image carries from birth, so that what a client copies,
 * filters on or is refused in the simulator is what it meets in the real cloud: a
 * customer's snapshot inherits its base image's {@code com.rackspace__1__*} and OS
 * properties and adds the server it was taken from; an import gets only the few defaults
 * Rackspace's tests assert.
 */
final class RackspaceProperties {

	/**
	 * The base image every seeded snapshot claims to descend from: Ubuntu 22.04 (PVHVM),
	 * as Rackspace lists it.
	 */
	static final String BASE_IMAGE = "4319b4ef-f6bd-4ba6-a2b5-2a8ca1ff8bc4";

	private RackspaceProperties() {
	}

	/**
	 * A snapshot of a server built from {@link #BASE_IMAGE}, exportable
	 * ({@code com.rackspace__1__options} "0").
	 * @param imageId the snapshot's id: its server's {@code instance_uuid} is derived
	 * from it, so a seed gives the same properties every time
	 * @param tenantId the owner; {@code user_id} is the id identity shows for its user
	 */
	static Map<String, String> snapshot(String imageId, String tenantId) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(SimImage.OPTIONS, "0");
		properties.put("com.rackspace__1__source", "kickstart");
		properties.put("com.rackspace__1__release_id", "1006");
		properties.put("image_type", "snapshot");
		properties.put("os_type", "linux");
		properties.put("os_distro", "ubuntu");
		properties.put("org.openstack__1__os_distro", "com.ubuntu");
		properties.put("org.openstack__1__os_version", "22.04");
		properties.put("org.openstack__1__architecture", "x64");
		properties.put("vm_mode", "hvm");
		properties.put("auto_disk_config", "disabled");
		properties.put("cache_in_nova", "True");
		properties.put("xenapi_use_agent", "True");
		properties.put("instance_uuid",
				UUID.nameUUIDFromBytes(("instance of " + imageId).getBytes(StandardCharsets.UTF_8)).toString());
		properties.put("base_image_ref", BASE_IMAGE);
		// the user id Identity puts in the token's access.user
		properties.put("user_id", "user-" + tenantId);
		return properties;
	}

	/**
	 * An image an import task created: Rackspace's defaults for it (its tests assert
	 * them), exportable again.
	 */
	static Map<String, String> imported() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(SimImage.OPTIONS, "0");
		properties.put("com.rackspace__1__source", "import");
		properties.put("image_type", "import");
		properties.put("os_type", "linux");
		properties.put("auto_disk_config", "False");
		return properties;
	}

}

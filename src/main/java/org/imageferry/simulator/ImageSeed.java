package org.imageferry.simulator;

import java.util.List;
import java.util.Map;

import org.imageferry.simulator.content.Content;

/**
 * An image a test or the demo places in a region before a run: a customer's snapshot with
 * the properties Rackspace gives one ({@link RackspaceProperties#snapshot}), among them
 * {@code com.rackspace__1__options} "0" (exportable); {@code properties} add to them or
 * override them. Its id is random unless chosen with {@link #withId}. It is
 * {@code active} unless {@link #withStatus} says otherwise (e.g. {@code saving}, a
 * snapshot still being taken, which Rackspace will not export).
 */
public record ImageSeed(String id, String region, String tenantId, String name, Content content, String visibility,
		int minDisk, int minRam, List<String> tags, Map<String, String> properties, String status) {

	/** The {@code min_disk} of a seed that does not say: the smallest flavor's disk. */
	public static final int DEFAULT_MIN_DISK = 20;

	/** The {@code min_ram} of a seed that does not say. */
	public static final int DEFAULT_MIN_RAM = 512;

	public static ImageSeed of(String region, String tenantId, String name, Content content) {
		return new ImageSeed(null, region, tenantId, name, content, "private", DEFAULT_MIN_DISK, DEFAULT_MIN_RAM,
				List.of(), Map.of(), "active");
	}

	/** The same seed with a chosen image id, e.g. to match a manifest. */
	public ImageSeed withId(String id) {
		return new ImageSeed(id, this.region, this.tenantId, this.name, this.content, this.visibility, this.minDisk,
				this.minRam, this.tags, this.properties, this.status);
	}

	public ImageSeed withMetadata(int minDisk, int minRam, List<String> tags, Map<String, String> properties) {
		return new ImageSeed(this.id, this.region, this.tenantId, this.name, this.content, this.visibility, minDisk,
				minRam, tags, properties, this.status);
	}

	public ImageSeed withVisibility(String visibility) {
		return new ImageSeed(this.id, this.region, this.tenantId, this.name, this.content, visibility, this.minDisk,
				this.minRam, this.tags, this.properties, this.status);
	}

	public ImageSeed withStatus(String status) {
		return new ImageSeed(this.id, this.region, this.tenantId, this.name, this.content, this.visibility,
				this.minDisk, this.minRam, this.tags, this.properties, status);
	}

}

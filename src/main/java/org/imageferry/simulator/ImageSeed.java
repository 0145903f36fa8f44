package org.imageferry.simulator;

import java.util.List;
import java.util.Map;

import org.imageferry.simulator.content.Content;

/**
 * An image a test or the demo places in a region before a run. Exportable
 * ({@code com.rackspace__1__options} "0") unless {@code properties} says otherwise; its
 * id is random unless chosen with {@link #withId}.
 */
public record ImageSeed(String id, String region, String tenantId, String name, Content content, String visibility,
		int minDisk, int minRam, List<String> tags, Map<String, String> properties) {

	public static ImageSeed of(String region, String tenantId, String name, Content content) {
		return new ImageSeed(null, region, tenantId, name, content, "private", 0, 0, List.of(), Map.of());
	}

	/** The same seed with a chosen image id, e.g. to match a manifest. */
	public ImageSeed withId(String id) {
		return new ImageSeed(id, this.region, this.tenantId, this.name, this.content, this.visibility, this.minDisk,
				this.minRam, this.tags, this.properties);
	}

	public ImageSeed withMetadata(int minDisk, int minRam, List<String> tags, Map<String, String> properties) {
		return new ImageSeed(this.id, this.region, this.tenantId, this.name, this.content, this.visibility, minDisk,
				minRam, tags, properties);
	}

	public ImageSeed withVisibility(String visibility) {
		return new ImageSeed(this.id, this.region, this.tenantId, this.name, this.content, visibility, this.minDisk,
				this.minRam, this.tags, this.properties);
	}

}

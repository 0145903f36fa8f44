package org.imageferry.simulator;

import java.util.List;
import java.util.Map;

import org.imageferry.simulator.content.Content;

/**
 * An image a test or the demo places in a region before a run. Exportable
 * ({@code com.rackspace__1__options} "0") unless {@code properties} says otherwise.
 */
public record ImageSeed(String region, String tenantId, String name, Content content, String visibility, int minDisk,
		int minRam, List<String> tags, Map<String, String> properties) {

	public static ImageSeed of(String region, String tenantId, String name, Content content) {
		return new ImageSeed(region, tenantId, name, content, "private", 0, 0, List.of(), Map.of());
	}

	public ImageSeed withMetadata(int minDisk, int minRam, List<String> tags, Map<String, String> properties) {
		return new ImageSeed(this.region, this.tenantId, this.name, this.content, this.visibility, minDisk, minRam,
				tags, properties);
	}

	public ImageSeed withVisibility(String visibility) {
		return new ImageSeed(this.region, this.tenantId, this.name, this.content, visibility, this.minDisk, this.minRam,
				this.tags, this.properties);
	}

}

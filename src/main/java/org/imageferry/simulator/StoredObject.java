package org.imageferry.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.imageferry.simulator.content.Content;

/**
 * One object in a container. A Dynamic Large Object manifest carries {@code dloManifest}
 * ({@code <container>/<prefix>}); a Static one carries its {@code sloSegments}; both have
 * empty content of their own.
 */
record StoredObject(String name, Content content, String etag, String contentType, Instant lastModified,
		Map<String, String> metadata, String dloManifest, List<SloSegment> sloSegments, Instant visibleAt) {

	/** A segment an SLO manifest names, as checked when the manifest was stored. */
	record SloSegment(String container, String object, String etag, long size) {
	}

	boolean isLargeObject() {
		return this.dloManifest != null || this.sloSegments != null;
	}

}

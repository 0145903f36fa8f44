package org.imageferry.manifest;

/**
 * A manifest line that cannot be migrated, with the reason; {@code imageId} is what the
 * line held (possibly not a UUID at all), for the report.
 */
public record ManifestProblem(int line, String imageId, String message) {

	@Override
	public String toString() {
		return "line " + this.line + ": " + this.message;
	}

}

package org.imageferry.manifest;

/**
 * One valid manifest line: the source image to migrate and, optionally, the name it gets
 * in the target region (null: keep the source name).
 */
public record ManifestEntry(int line, String imageId, String targetName) {
}

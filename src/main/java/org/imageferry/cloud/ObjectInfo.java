package org.imageferry.cloud;

/**
 * An object in Cloud Files: its name, size and ETag (MD5 hex, unquoted; for a large
 * object's manifest, the MD5 of its segments' ETags) and, for a Dynamic Large Object
 * manifest, its {@code X-Object-Manifest}.
 */
public record ObjectInfo(String name, long bytes, String etag, String dloManifest) {
}

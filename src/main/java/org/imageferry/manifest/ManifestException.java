package org.imageferry.manifest;

/**
 * A manifest refused as a whole: unreadable, without the {@code image_id} header, or
 * (with {@code --strict}) holding any invalid line. The message names the file and, where
 * there is one, the line.
 */
public class ManifestException extends RuntimeException {

	public ManifestException(String message) {
		super(message);
	}

}

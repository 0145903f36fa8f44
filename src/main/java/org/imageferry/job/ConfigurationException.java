package org.imageferry.job;

/**
 * A job profile or environment that cannot work (unknown region, bad container name,
 * missing credentials), found before anything is created in the cloud.
 */
public class ConfigurationException extends RuntimeException {

	public ConfigurationException(String message) {
		super(message);
	}

}

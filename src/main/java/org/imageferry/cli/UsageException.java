package org.imageferry.cli;

/**
 * A command line that does not make sense; answered with the usage text and exit code 64.
 */
public class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

}

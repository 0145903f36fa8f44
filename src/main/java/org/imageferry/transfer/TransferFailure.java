package org.imageferry.transfer;

/**
 * A transfer that cannot succeed for this image (no exported object, a VHD Rackspace
 * would refuse): the image fails with {@code code}, the others go on.
 */
public class TransferFailure extends RuntimeException {

	private final String code;

	public TransferFailure(String code, String message) {
		super(message);
		this.code = code;
	}

	public String code() {
		return this.code;
	}

}

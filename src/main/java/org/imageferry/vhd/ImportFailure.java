package org.imageferry.vhd;

import java.util.Arrays;
import java.util.Optional;

/**
 * The reasons Rackspace gives for refusing to import a VHD, with the exact texts its
 * import task reports in {@code message}. The product recognises a failed task's message
 * by its code and shows it as the cloud sent it; these texts document it word for word.
 */
public enum ImportFailure {

	/** Any structural problem not covered by a more specific code. */
	UNSPECIFIED(111,
			"The image cannot be imported. There is an unspecified problem with your VHD that caused it to fail our validation checks."),

	/** No VHD footer. */
	NOT_A_VHD(396, "The image cannot be imported. The file is not a valid VHD."),

	/** Current (virtual) size above the limit. */
	VIRTUAL_SIZE_OVER_LIMIT(413, "The image cannot be imported. The virtual size of the disk exceeds the 40GB limit."),

	/** Disk type other than fixed or dynamic. */
	UNSUPPORTED_DISK_TYPE(523, "The image cannot be imported. Only fixed or dynamic disks may be imported."),

	/** File size above the limit. */
	PHYSICAL_SIZE_OVER_LIMIT(609,
			"The image cannot be imported. The physical size of the disk exceeds the 40GB limit."),

	/** Unique id all zeros. */
	ZERO_UNIQUE_ID(614, "The image cannot be imported. The internal UUID of the VHD is all zeros."),

	/** Differencing disk. */
	HAS_PARENT(721,
			"The image cannot be imported. Your VHD has a parent disk. Only a stand-alone VHD may be imported.");

	private final int code;

	private final String text;

	ImportFailure(int code, String text) {
		this.code = code;
		this.text = text;
	}

	/**
	 * @return the numeric code, e.g. {@code 396}
	 */
	public int code() {
		return this.code;
	}

	/**
	 * @return the task message, the code first, e.g. {@code 396: The image cannot be
	 * imported. The file is not a valid VHD.}
	 */
	public String message() {
		return this.code + ": " + this.text;
	}

	/**
	 * The product's own words for this failure, found before an import was started:
	 * Rackspace's text, except that a size over the limit names the limit configured
	 * (Rackspace's texts say "40GB" whatever its limit is).
	 * @param sizeLimit the limit the VHD was checked against
	 */
	public String message(long sizeLimit) {
		String limit = "the size-limit of " + VhdValidator.describeLimit(sizeLimit);
		return switch (this) {
			case VIRTUAL_SIZE_OVER_LIMIT ->
				this.code + ": The image cannot be imported. The virtual size of the disk " + "exceeds " + limit + ".";
			case PHYSICAL_SIZE_OVER_LIMIT ->
				this.code + ": The image cannot be imported. The physical size of the " + "disk exceeds " + limit + ".";
			default -> message();
		};
	}

	/**
	 * @param code a numeric code
	 * @return the failure with that code, if any
	 */
	public static Optional<ImportFailure> ofCode(int code) {
		return Arrays.stream(values()).filter((failure) -> failure.code == code).findFirst();
	}

	/**
	 * Recognises a failed import task's message by its leading code.
	 * @param message the task's {@code message}, may be {@code null}
	 * @return the failure it reports, if it starts with a known code
	 */
	public static Optional<ImportFailure> ofMessage(String message) {
		if (message == null) {
			return Optional.empty();
		}
		return Arrays.stream(values()).filter((failure) -> message.startsWith(failure.code + ":")).findFirst();
	}

}

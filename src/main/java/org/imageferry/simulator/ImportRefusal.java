package org.imageferry.simulator;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why the simulated cloud refuses to import a VHD: the failure codes of the import seed
 * page ({@code 002_…}), with its texts word for word. The simulator keeps its own copy
 * rather than the product's {@code org.imageferry.vhd.ImportFailure}, so that a typo on
 * either side shows up as a failing test instead of agreeing with itself.
 * <p>
 * The 413 and 609 texts say "40GB" whatever the configured limit: Rackspace raised the
 * limit to 160 GB in 2019 without changing the API reference's texts, and a client must
 * read the code, not the number.
 */
enum ImportRefusal {

	UNSPECIFIED(111,
			"The image cannot be imported. There is an unspecified problem with your VHD that caused it to fail our validation checks."),

	NOT_A_VHD(396, "The image cannot be imported. The file is not a valid VHD."),

	VIRTUAL_SIZE_OVER_LIMIT(413, "The image cannot be imported. The virtual size of the disk exceeds the 40GB limit."),

	UNSUPPORTED_DISK_TYPE(523, "The image cannot be imported. Only fixed or dynamic disks may be imported."),

	PHYSICAL_SIZE_OVER_LIMIT(609,
			"The image cannot be imported. The physical size of the disk exceeds the 40GB limit."),

	ZERO_UNIQUE_ID(614, "The image cannot be imported. The internal UUID of the VHD is all zeros."),

	HAS_PARENT(721,
			"The image cannot be imported. Your VHD has a parent disk. Only a stand-alone VHD may be imported.");

	private final int code;

	private final String text;

	ImportRefusal(int code, String text) {
		this.code = code;
		this.text = text;
	}

	int code() {
		return this.code;
	}

	/** The task's {@code message}: the code, a colon, the seed's text. */
	String message() {
		return this.code + ": " + this.text;
	}

	static Optional<ImportRefusal> ofCode(int code) {
		return Arrays.stream(values()).filter((refusal) -> refusal.code == code).findFirst();
	}

}

package org.imageferry.vhd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImportFailureTests {

	@Test
	void messagesAreTheTextsRackspaceReportsPrefixedByTheirCode() {
		assertThat(ImportFailure.values()).extracting(ImportFailure::message)
			.containsExactly(
					"111: The image cannot be imported. There is an unspecified problem with your VHD that caused it to fail our validation checks.",
					"396: The image cannot be imported. The file is not a valid VHD.",
					"413: The image cannot be imported. The virtual size of the disk exceeds the 40GB limit.",
					"523: The image cannot be imported. Only fixed or dynamic disks may be imported.",
					"609: The image cannot be imported. The physical size of the disk exceeds the 40GB limit.",
					"614: The image cannot be imported. The internal UUID of the VHD is all zeros.",
					"721: The image cannot be imported. Your VHD has a parent disk. Only a stand-alone VHD may be imported.");
		assertThat(ImportFailure.values()).extracting(ImportFailure::code)
			.containsExactly(111, 396, 413, 523, 609, 614, 721);
	}

	@Test
	void recognisesATaskMessageByItsCode() {
		assertThat(ImportFailure.ofMessage("721: The image cannot be imported. Your VHD has a parent disk."))
			.contains(ImportFailure.HAS_PARENT);
		assertThat(ImportFailure.ofMessage("None")).isEmpty();
		assertThat(ImportFailure.ofMessage(null)).isEmpty();
		assertThat(ImportFailure.ofCode(609)).contains(ImportFailure.PHYSICAL_SIZE_OVER_LIMIT);
		assertThat(ImportFailure.ofCode(500)).isEmpty();
	}

	@Test
	void theProductsOwnWordsForASizeOverTheLimitNameTheLimitConfigured() {
		assertThat(ImportFailure.VIRTUAL_SIZE_OVER_LIMIT.message(64L << 20))
			.isEqualTo("413: The image cannot be imported. The virtual size of the disk exceeds the size-limit of 64MB "
					+ "(67,108,864 bytes).");
		assertThat(ImportFailure.PHYSICAL_SIZE_OVER_LIMIT.message(VhdValidator.DEFAULT_SIZE_LIMIT)).isEqualTo(
				"609: The image cannot be imported. The physical size of the disk exceeds the size-limit of 160GB "
						+ "(171,798,691,840 bytes).");
		assertThat(ImportFailure.NOT_A_VHD.message(64L << 20)).isEqualTo(ImportFailure.NOT_A_VHD.message());
		assertThat(VhdValidator.describeLimit(160_000_000_000L)).isEqualTo("156250000KB (160,000,000,000 bytes)");
		assertThat(VhdValidator.describeLimit(123_456_789L)).isEqualTo("123,456,789 bytes");
	}

}

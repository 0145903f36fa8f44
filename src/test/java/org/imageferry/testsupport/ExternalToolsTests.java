package org.imageferry.testsupport;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalToolsTests {

	@Test
	void aMissingToolSkipsLocallyAndFailsOnCi() {
		Class<? extends Throwable> expected = "true".equals(System.getenv("CI")) ? AssertionFailedError.class
				: TestAbortedException.class;

		assertThatThrownBy(() -> ExternalTools.require("image-ferry-no-such-tool")).isExactlyInstanceOf(expected)
			.hasMessageContaining("image-ferry-no-such-tool is not installed");
	}

	@Test
	void findsAToolOnThePath() {
		assertThat(ExternalTools.require("sh")).isExecutable();
		assertThat(ExternalTools.run(ExternalTools.require("sh"), "-c", "echo out; echo err >&2; exit 3"))
			.isEqualTo(new ExternalTools.Result(3, "out\nerr\n"));
	}

}

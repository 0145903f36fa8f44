package org.imageferry.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The test terminal reads output as a terminal shows it. */
class ScreenTests {

	@Test
	void aLogLineWrittenAfterTheLiveLineIsGluedToIt() {
		// when
		Screen screen = Screen.of("\r1/4 images, ETA 1m 02s\u001B[K17:01:59 INFO transfer of a done\r\n");

		// then
		assertThat(screen.states()).contains("1/4 images, ETA 1m 02s17:01:59 INFO transfer of a done");
	}

	@Test
	void aClearedLineHoldsOnlyWhatIsWrittenAfterwards() {
		// when
		Screen screen = Screen
			.of("\r1/4 images\u001B[K\r\u001B[2K17:01:59 INFO done\r\n\r2/4 images\u001B[K" + "\r3/4\u001B[K");

		// then
		assertThat(screen.lines()).containsExactly("17:01:59 INFO done", "3/4");
		assertThat(screen.states()).containsSubsequence("1/4 images", "17:01:59 INFO done", "2/4 images", "3/4")
			.noneMatch((state) -> state.contains("images") && state.contains("INFO"));
	}

}

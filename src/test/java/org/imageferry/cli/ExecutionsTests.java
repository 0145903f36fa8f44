package org.imageferry.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionsTests {

	@Test
	void executionIdsAreNamedAsSortedRanges() {
		// when
		String ranges = Executions.ranges(List.of(7L, 3L, 1L, 2L, 5L, 6L, 9L));

		// then
		assertThat(ranges).isEqualTo("executions 1-3, 5-7, 9");
	}

	@Test
	void oneExecutionIsNamedInTheSingular() {
		assertThat(Executions.ranges(List.of(4L))).isEqualTo("execution 4");
	}

}

package org.imageferry.report;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.imageferry.ledger.RunItem;

import static org.assertj.core.api.Assertions.assertThat;

class MeterHelpTests {

	@Test
	void everyMeterSaysWhetherItCountsThisExecutionOrTheWholeRun() {
		// given
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(new MeterHelp());
		FerryMetrics metrics = new FerryMetrics(registry);
		List<RunItem> items = ReportFixtures.items();

		// when
		metrics.answered("DFW", "image", 200);
		metrics.answered("DFW", "image", 200);
		metrics.recordRun(ReportFixtures.RESTARTED, items);
		Timer.builder("spring.batch.step").tag("step", "migrate").register(registry);
		Counter.builder("some.other").register(registry);

		// then
		assertThat(help(registry, FerryMetrics.REQUESTS))
			.isEqualTo("Requests answered by the cloud (status 0: no answer) (this execution only: a restart counts "
					+ "from zero)");
		assertThat(registry.get(FerryMetrics.REQUESTS).counter().count()).isEqualTo(2);
		assertThat(help(registry, FerryMetrics.IMAGES)).endsWith(" (the whole run: every execution)");
		assertThat(help(registry, FerryMetrics.EXECUTIONS)).endsWith(" (the whole run: every execution)");
		assertThat(help(registry, FerryMetrics.EXECUTION)).doesNotContain("(this execution only", "(the whole run");
		assertThat(registry.get(FerryMetrics.EXECUTION).tag("run", "7").gauge().value()).isEqualTo(12);
		assertThat(registry.get(FerryMetrics.EXECUTIONS).tag("run", "7").gauge().value()).isEqualTo(2);
		assertThat(help(registry, "spring.batch.step")).startsWith("Spring Batch: step executions");
		assertThat(help(registry, "some.other")).isNull();
	}

	private static String help(SimpleMeterRegistry registry, String name) {
		Meter meter = registry.get(name).meters().iterator().next();
		return meter.getId().getDescription();
	}

}

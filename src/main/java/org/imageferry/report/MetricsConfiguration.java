package org.imageferry.report;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Prometheus registry for the process, every meter with its HELP text
 * ({@link MeterHelp}), and an observation registry that turns Spring Batch's
 * {@code spring.batch.*} observations into meters in it.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	PrometheusMeterRegistry prometheusMeterRegistry() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(new MeterHelp());
		return registry;
	}

	@Bean
	ObservationRegistry observationRegistry(PrometheusMeterRegistry meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		return registry;
	}

	@Bean
	FerryMetrics ferryMetrics(PrometheusMeterRegistry meters) {
		return new FerryMetrics(meters);
	}

}

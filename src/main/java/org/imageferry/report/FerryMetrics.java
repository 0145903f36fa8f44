package org.imageferry.report;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.ledger.RunItem;

/**
 * image-ferry's own meters that are not recorded where the work happens: API requests,
 * throttled requests and retries by region and status (as the cloud clients report them),
 * the outcome of each image of a run by failure code, and which execution of which run
 * wrote the metrics. Task durations, tasks in flight and segment transfers are recorded
 * by the stages themselves, in the same registry; Spring Batch adds its
 * {@code spring.batch.*} observations.
 */
public final class FerryMetrics implements CloudObserver {

	public static final String REQUESTS = "image.ferry.api.requests";

	public static final String RETRIES = "image.ferry.api.retries";

	public static final String THROTTLED = "image.ferry.api.throttled";

	public static final String IMAGES = "image.ferry.images";

	public static final String PROPERTIES_NOT_COPIED = "image.ferry.properties.not.copied";

	public static final String EXECUTION = "image.ferry.run.execution";

	public static final String EXECUTIONS = "image.ferry.run.executions";

	private static final Logger log = LoggerFactory.getLogger(FerryMetrics.class);

	private final MeterRegistry registry;

	public FerryMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public MeterRegistry registry() {
		return this.registry;
	}

	@Override
	public void answered(String region, String service, int status) {
		Counter.builder(REQUESTS)
			.description("Requests answered by the cloud (status 0: no answer)")
			.tag("region", region)
			.tag("service", service)
			.tag("status", Integer.toString(status))
			.register(this.registry)
			.increment();
		if (status == 413 || status == 429) {
			Counter.builder(THROTTLED)
				.description("Requests the cloud refused as over a limit (413 Over Limit, 429 Too Many Requests)")
				.tag("region", region)
				.tag("service", service)
				.tag("status", Integer.toString(status))
				.register(this.registry)
				.increment();
		}
	}

	@Override
	public void retrying(String region, String what, Throwable failure) {
		int status = (failure instanceof CloudException cloud) ? cloud.status() : 0;
		Counter.builder(RETRIES)
			.description("Failed requests tried again")
			.tag("region", region)
			.tag("status", Integer.toString(status))
			.register(this.registry)
			.increment();
		log.warn("{} failed, retrying: {}", what, failure.getMessage());
	}

	/**
	 * At the end of an execution: which execution and run the metrics are of — after a
	 * restart, the meters of this execution count from its start, except those of the
	 * whole run ({@link MeterHelp}) — and the run's outcomes.
	 */
	public void recordRun(RunSummary run, List<RunItem> items) {
		Gauge.builder(EXECUTION, run::executionId)
			.description("The job execution that wrote these metrics, of the run in label run: the meters marked "
					+ "'this execution only' count from its start")
			.tag("run", Long.toString(run.runId()))
			.strongReference(true)
			.register(this.registry);
		Gauge.builder(EXECUTIONS, () -> run.executions().size())
			.description("Executions of the run so far: 1, plus 1 for each restart")
			.tag("run", Long.toString(run.runId()))
			.strongReference(true)
			.register(this.registry);
		recordOutcomes(items);
	}

	/**
	 * Counts a run's images by outcome and failure code, and the properties targets
	 * refused to migrated images by key (at the end of a run).
	 */
	private void recordOutcomes(List<RunItem> items) {
		for (RunItem item : items) {
			Outcome outcome = Outcome.of(item);
			String code = (outcome == Outcome.INVALID) ? "MANIFEST"
					: (item.image() != null && item.image().failureCode() != null) ? item.image().failureCode() : "";
			Counter.builder(IMAGES)
				.description("Images of the run by target, outcome and failure code")
				.tag("outcome", outcome.name().toLowerCase())
				.tag("code", code)
				.tag("target", item.target())
				.register(this.registry)
				.increment();
			if (outcome == Outcome.MIGRATED) {
				item.image()
					.propertiesNotCopied()
					.forEach((key) -> Counter.builder(PROPERTIES_NOT_COPIED)
						.description("Properties of migrated images that the target refused, by key")
						.tag("property", key)
						.register(this.registry)
						.increment());
			}
		}
	}

}

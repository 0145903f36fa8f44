package org.imageferry.report;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives every meter the HELP text Prometheus shows, and says in it whose counts they are.
 * The metrics are written at the end of each execution by a process that started with
 * empty meters, so after a restart most of them count that execution only, while a few
 * are computed from the ledger for the whole run; the HELP text of each says which.
 * Spring Batch registers its observations' meters without descriptions: theirs are here.
 */
final class MeterHelp implements MeterFilter {

	/** Meters counting the whole run, every execution of it. */
	static final Set<String> OF_THE_RUN = Set.of(FerryMetrics.IMAGES, FerryMetrics.PROPERTIES_NOT_COPIED,
			FerryMetrics.EXECUTIONS);

	/** The meter naming the execution, whose HELP text says it all. */
	private static final String ITSELF = FerryMetrics.EXECUTION;

	static final String RUN_SENTENCE = " (the whole run: every execution)";

	static final String EXECUTION_SENTENCE = " (this execution only: a restart counts from zero)";

	private static final Map<String, String> SPRING_BATCH = Map.ofEntries(
			Map.entry("spring.batch.job", "Spring Batch: the job execution, by status"),
			Map.entry("spring.batch.job.active", "Spring Batch: job executions running"),
			Map.entry("spring.batch.job.launch.count", "Spring Batch: job launches"),
			Map.entry("spring.batch.step", "Spring Batch: step executions, by step and status"),
			Map.entry("spring.batch.step.active", "Spring Batch: step executions running"),
			Map.entry("spring.batch.item.read", "Spring Batch: items read, by step and status"),
			Map.entry("spring.batch.item.process", "Spring Batch: items processed, by step and status"),
			Map.entry("spring.batch.chunk.write", "Spring Batch: chunks written, by step and status"));

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = (id.getDescription() != null) ? id.getDescription() : SPRING_BATCH.get(id.getName());
		if (description == null || id.getName().equals(ITSELF) || description.endsWith(RUN_SENTENCE)
				|| description.endsWith(EXECUTION_SENTENCE)) {
			return id;
		}
		String scope = OF_THE_RUN.contains(id.getName()) ? RUN_SENTENCE : EXECUTION_SENTENCE;
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description + scope,
				id.getType());
	}

}

package org.imageferry.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.imageferry.bench.PipelineBench.row;
import static org.imageferry.bench.PipelineBench.verdict;

/**
 * {@link SimulatorBench}'s table rows: the overhead ratio (the job's time over the
 * simulator's own for the same requests), whether the replay sent the job's mix, and what
 * the simulator served alone.
 */
final class SimulatorReport {

	/**
	 * The job may take this many times what the simulator alone takes for its requests.
	 */
	static final double OVERHEAD_GOAL = 1.6;

	private final RequestMix job;

	private final RequestMix replayed;

	private final SimulatorBench.Measured measured;

	SimulatorReport(RequestMix job, RequestMix replayed, SimulatorBench.Measured measured) {
		this.job = job;
		this.replayed = replayed;
		this.measured = measured;
	}

	/** Prints the rows; whether every goal was met. */
	boolean print() {
		int n = this.job.images();
		long total = this.job.total();
		double seconds = this.measured.seconds();
		double ratio = this.job.jobSeconds() / seconds;
		List<String> differences = this.job.differences(this.replayed);
		long misses = this.measured.client().unexpected();
		boolean ok = ratio <= OVERHEAD_GOAL && differences.isEmpty() && misses == 0;
		System.out.println(row("overhead", String.format(Locale.ROOT,
				"job for %,d zero-latency images %.1f s / simulator alone for the same %,d requests %.1f s "
						+ "(%d client threads)",
				n, this.job.jobSeconds(), total, seconds, this.job.clientThreads()),
				String.format(Locale.ROOT, "%.2f×", ratio), String.format(Locale.ROOT, "≤ %.1f×", OVERHEAD_GOAL),
				verdict(ratio <= OVERHEAD_GOAL)));
		System.out.println(row("overhead", "the job's requests per image by kind, replayed: " + this.job.perImage(),
				String.format(Locale.ROOT, "%.2f/image", (double) total / n), "", ""));
		System.out.println(row("overhead", "requests replayed that the job did not send (+) or sent more of (−)",
				differences.isEmpty() ? "none" : String.join(", ", differences), "none",
				verdict(differences.isEmpty())));
		long[] all = this.measured.client().latencies();
		System.out.println(row("simulator",
				String.format(Locale.ROOT, "alone: the requests of %,d images (%d client threads)", n,
						this.job.clientThreads()),
				String.format(Locale.ROOT, "%,.0f requests/s (%.1f s)", this.replayed.total() / seconds, seconds), "—",
				""));
		System.out.println(row("simulator", "alone: request latency p50 / p99 / max",
				millis(all, 0.50) + " / " + millis(all, 0.99) + " / " + millis(all, 1.0) + " ms", "—", ""));
		System.out.println(row("simulator", "alone: p99 by request (ms)",
				this.measured.client()
					.latenciesByKind()
					.entrySet()
					.stream()
					.map((e) -> RequestMix.label(e.getKey()) + " " + millis(e.getValue(), 0.99))
					.collect(Collectors.joining(", ")),
				"—", ""));
		long requests = this.measured.client().requests();
		System.out.println(row("simulator", "alone: CPU of the simulator's threads (HTTP, tasks)",
				String.format(Locale.ROOT,
						"%.3f ms/request, %.0f%% of the process's %.3f ms/request (client, JIT and GC the rest)",
						this.measured.simulatorCpu() / 1e6 / requests,
						100.0 * this.measured.simulatorCpu() / this.measured.processCpu(),
						this.measured.processCpu() / 1e6 / requests),
				"—", ""));
		System.out.println(row("simulator", "alone: unexpected answers", String.format(Locale.ROOT, "%,d", misses), "0",
				verdict(misses == 0)));
		return ok;
	}

	private static String millis(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return "-";
		}
		long nanos = sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
		return String.format(Locale.ROOT, (nanos < 10_000_000) ? "%.1f" : "%.0f", nanos / 1e6);
	}

}

package org.imageferry.simulator;

import java.time.Duration;
import java.util.Set;

/**
 * How strictly and how slowly the simulated cloud behaves: task timing, limits and the
 * behaviours Rackspace's documentation leaves open. Changeable while the cloud runs
 * ({@code /_admin/knobs}), like {@link Faults}. {@link #defaults()} is the friendly cloud
 * the demo and most tests use; the {@code rackspace-strict} profile ({@link Knobs})
 * switches on everything Rackspace is documented or suspected to do.
 *
 * @param exportLatency the fixed part of an export task's time (pending, then processing)
 * @param importLatency the fixed part of an import task's time
 * @param exportMbPerSecond an export also takes the image's size at this rate, in MB/s
 * (10^6 bytes); 0 for no size-dependent part. Rackspace's tests saw a 265-segment image
 * export in about 74 minutes (~60 MB/s)
 * @param importMbPerSecond the same for imports (~115 MB/s in the same run)
 * @param importSizeLimit largest VHD an import accepts, virtual and physical size
 * (Rackspace: 160 GB since 2019; older texts say 40 GB)
 * @param protectedProperties a PATCH that adds, replaces or removes a property Rackspace
 * protects ({@code os_type}, {@code image_type}, {@code com.rackspace*}, ...) is refused
 * 403, the whole patch with it
 * @param refusedTaskTypeFilters task types a {@code GET /v2/tasks?type=} listing refuses
 * with 400 although tasks of that type exist (upstream Glance validates the filter;
 * whether Rackspace accepts {@code type=export} is undocumented)
 * @param bulkDelete whether Cloud Files offers bulk delete ({@code ?bulk-delete}, listed
 * in {@code /info}); without it, as on a plain Swift, the request is 405
 * @param taskPostsPerMinute per tenant and region, {@code POST /v2/tasks} beyond this
 * many in a sliding minute is 413 {@code overLimit} with {@code Retry-After}; 0 for no
 * limit
 * @param containerWritesPerSecond per container, writes (PUT, POST, DELETE, COPY) beyond
 * this many in a second are 429 with {@code Retry-After}; 0 for no limit (Cloud Files:
 * about 100)
 */
public record Rules(Duration exportLatency, Duration importLatency, double exportMbPerSecond, double importMbPerSecond,
		long importSizeLimit, boolean protectedProperties, Set<String> refusedTaskTypeFilters, boolean bulkDelete,
		int taskPostsPerMinute, int containerWritesPerSecond) {

	/**
	 * A gibibyte. Rackspace's "160 GB" is read as GiB, as its flavors' disk sizes are and
	 * as the product's {@code size-limit} counts; {@code import-size-limit: 160GB}
	 * (decimal) models the other reading.
	 */
	public static final long GIB = 1L << 30;

	public Rules {
		refusedTaskTypeFilters = Set.copyOf(refusedTaskTypeFilters);
	}

	/**
	 * Today's friendly cloud: 2 s tasks whatever their size, nothing refused or slowed.
	 */
	public static Rules defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.exportLatency = this.exportLatency;
		b.importLatency = this.importLatency;
		b.exportMbPerSecond = this.exportMbPerSecond;
		b.importMbPerSecond = this.importMbPerSecond;
		b.importSizeLimit = this.importSizeLimit;
		b.protectedProperties = this.protectedProperties;
		b.refusedTaskTypeFilters = this.refusedTaskTypeFilters;
		b.bulkDelete = this.bulkDelete;
		b.taskPostsPerMinute = this.taskPostsPerMinute;
		b.containerWritesPerSecond = this.containerWritesPerSecond;
		return b;
	}

	/**
	 * How long a task of this type on an image of this many bytes takes: the fixed part
	 * plus the size at the configured rate.
	 */
	public Duration taskTime(String type, long bytes) {
		boolean export = type.equals("export");
		Duration fixed = export ? this.exportLatency : this.importLatency;
		double rate = export ? this.exportMbPerSecond : this.importMbPerSecond;
		if (rate <= 0) {
			return fixed;
		}
		return fixed.plusMillis(Math.round(bytes / (rate * 1_000_000) * 1000));
	}

	/**
	 * Starts from {@link #defaults()}.
	 */
	public static final class Builder {

		private Duration exportLatency = Duration.ofSeconds(2);

		private Duration importLatency = Duration.ofSeconds(2);

		private double exportMbPerSecond;

		private double importMbPerSecond;

		private long importSizeLimit = 160 * GIB;

		private boolean protectedProperties;

		private Set<String> refusedTaskTypeFilters = Set.of();

		private boolean bulkDelete = true;

		private int taskPostsPerMinute;

		private int containerWritesPerSecond;

		private Builder() {
		}

		public Builder taskLatency(Duration export, Duration imports) {
			this.exportLatency = export;
			this.importLatency = imports;
			return this;
		}

		public Builder exportLatency(Duration latency) {
			this.exportLatency = latency;
			return this;
		}

		public Builder importLatency(Duration latency) {
			this.importLatency = latency;
			return this;
		}

		public Builder exportMbPerSecond(double rate) {
			this.exportMbPerSecond = rate;
			return this;
		}

		public Builder importMbPerSecond(double rate) {
			this.importMbPerSecond = rate;
			return this;
		}

		public Builder importSizeLimit(long bytes) {
			this.importSizeLimit = bytes;
			return this;
		}

		public Builder protectedProperties(boolean refused) {
			this.protectedProperties = refused;
			return this;
		}

		public Builder refusedTaskTypeFilters(Set<String> types) {
			this.refusedTaskTypeFilters = types;
			return this;
		}

		public Builder bulkDelete(boolean offered) {
			this.bulkDelete = offered;
			return this;
		}

		public Builder taskPostsPerMinute(int limit) {
			this.taskPostsPerMinute = limit;
			return this;
		}

		public Builder containerWritesPerSecond(int limit) {
			this.containerWritesPerSecond = limit;
			return this;
		}

		public Rules build() {
			return new Rules(this.exportLatency, this.importLatency, this.exportMbPerSecond, this.importMbPerSecond,
					this.importSizeLimit, this.protectedProperties, this.refusedTaskTypeFilters, this.bulkDelete,
					this.taskPostsPerMinute, this.containerWritesPerSecond);
		}

	}

}

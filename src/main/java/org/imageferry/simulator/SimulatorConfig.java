package org.imageferry.simulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything that shapes one simulated cloud. Defaults follow Rackspace's documented
 * behaviour except for time, which is scaled down: tasks take seconds, not minutes.
 *
 * @param port loopback port, 0 for any free one
 * @param regions region names served
 * @param accounts accounts that can authenticate
 * @param tokenTtl lifetime of an issued token (Rackspace: about 24 h)
 * @param taskExpiry how long a finished task can still be read (Rackspace: about 48 h)
 * @param segmentSize segment size of exported Dynamic Large Objects (Rackspace:
 * 1,048,576,000 bytes)
 * @param maxObjectSize largest single object PUT (Swift and Cloud Files: 5 GiB + 2 bytes)
 * @param keepBytesUpTo uploaded objects up to this size are kept on disk; larger ones
 * keep only their length, MD5, first 64 KiB and last 512 bytes — enough to validate a VHD
 * and compare digests
 * @param dataDir where uploaded objects are kept; null for a temporary directory removed
 * on close
 * @param faults injected misbehaviour, at start (changeable while running)
 * @param rules task timing, limits and strictness, at start (changeable while running)
 * @param clock the time the cloud shows — task and object timestamps, token expiry — so a
 * test can place it on a given day; delays still pass in real time
 */
public record SimulatorConfig(int port, List<String> regions, List<Account> accounts, Duration tokenTtl,
		Duration taskExpiry, long segmentSize, long maxObjectSize, long keepBytesUpTo, Path dataDir, Faults faults,
		Rules rules, Clock clock) {

	public static final long RACKSPACE_SEGMENT_SIZE = 1_048_576_000L;

	public static final long GIB = 1024L * 1024 * 1024;

	public SimulatorConfig {
		regions = List.copyOf(regions);
		accounts = List.copyOf(accounts);
		if (regions.isEmpty() || accounts.isEmpty()) {
			throw new IllegalArgumentException("a simulated cloud needs at least one region and one account");
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.port = this.port;
		b.regions = this.regions;
		b.accounts = this.accounts;
		b.tokenTtl = this.tokenTtl;
		b.taskExpiry = this.taskExpiry;
		b.segmentSize = this.segmentSize;
		b.maxObjectSize = this.maxObjectSize;
		b.keepBytesUpTo = this.keepBytesUpTo;
		b.dataDir = this.dataDir;
		b.faults = this.faults;
		b.rules = this.rules;
		b.clock = this.clock;
		return b;
	}

	/**
	 * Starts from the defaults; set only what a test or demo cares about.
	 */
	public static final class Builder {

		private int port;

		private List<String> regions = List.of("DFW", "ORD", "IAD");

		private List<Account> accounts = List.of(new Account("alice", "alice-api-key", "alice-password", "100001"),
				new Account("bob", "bob-api-key", "bob-password", "100002"));

		private Duration tokenTtl = Duration.ofHours(24);

		private Duration taskExpiry = Duration.ofHours(48);

		private long segmentSize = RACKSPACE_SEGMENT_SIZE;

		/**
		 * Swift's {@code MAX_FILE_SIZE}: 5 GiB and 2 bytes, as its {@code /info} says.
		 */
		private long maxObjectSize = 5 * GIB + 2;

		private long keepBytesUpTo = 64L * 1024 * 1024;

		private Path dataDir;

		private Faults faults = Faults.none();

		private Rules rules = Rules.defaults();

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder regions(List<String> regions) {
			this.regions = regions;
			return this;
		}

		public Builder accounts(List<Account> accounts) {
			this.accounts = accounts;
			return this;
		}

		public Builder tokenTtl(Duration tokenTtl) {
			this.tokenTtl = tokenTtl;
			return this;
		}

		/** Sets the fixed part of the tasks' time in this builder's {@link Rules}. */
		public Builder taskLatency(Duration export, Duration imports) {
			this.rules = this.rules.toBuilder().taskLatency(export, imports).build();
			return this;
		}

		public Builder taskExpiry(Duration taskExpiry) {
			this.taskExpiry = taskExpiry;
			return this;
		}

		public Builder segmentSize(long segmentSize) {
			this.segmentSize = segmentSize;
			return this;
		}

		/** Sets the import size limit in this builder's {@link Rules}. */
		public Builder importSizeLimit(long importSizeLimit) {
			this.rules = this.rules.toBuilder().importSizeLimit(importSizeLimit).build();
			return this;
		}

		public Builder maxObjectSize(long maxObjectSize) {
			this.maxObjectSize = maxObjectSize;
			return this;
		}

		public Builder keepBytesUpTo(long keepBytesUpTo) {
			this.keepBytesUpTo = keepBytesUpTo;
			return this;
		}

		public Builder dataDir(Path dataDir) {
			this.dataDir = dataDir;
			return this;
		}

		public Builder faults(Faults faults) {
			this.faults = faults;
			return this;
		}

		/** Replaces the rules, task latency and import size limit set before included. */
		public Builder rules(Rules rules) {
			this.rules = rules;
			return this;
		}

		public Rules rules() {
			return this.rules;
		}

		public Faults faults() {
			return this.faults;
		}

		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		public SimulatorConfig build() {
			return new SimulatorConfig(this.port, this.regions, this.accounts, this.tokenTtl, this.taskExpiry,
					this.segmentSize, this.maxObjectSize, this.keepBytesUpTo, this.dataDir, this.faults, this.rules,
					this.clock);
		}

	}

}

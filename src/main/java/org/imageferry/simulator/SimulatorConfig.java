package org.imageferry.simulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything that shapes one simulated cloud. Defaults follow Rackspace's documented
 * behaviour except for time, which is scaled down: tasks take seconds, not minutes.
 *
 * @param port loopback port, 0 for any free one; every host listens on the same one
 * @param hosts the loopback addresses (IPv4, in 127.0.0.0/8) listened on, each a
 * simulated host with its own network link; the first is the one {@link SimulatedCloud}'s
 * URLs name
 * @param hostBandwidth each host's link, in bytes per second, shared by every object body
 * sent or received on that host's connections; 0 for no cap (see {@link HostLinks})
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
public record SimulatorConfig(int port, List<String> hosts, long hostBandwidth, List<String> regions,
		List<Account> accounts, Duration tokenTtl, Duration taskExpiry, long segmentSize, long maxObjectSize,
		long keepBytesUpTo, Path dataDir, Faults faults, Rules rules, Clock clock) {

	public static final long RACKSPACE_SEGMENT_SIZE = 1_048_576_000L;

	public static final long GIB = 1024L * 1024 * 1024;

	/** What a simulated cloud listens on unless told otherwise: one host, as before. */
	public static final String DEFAULT_HOST = "127.0.0.1";

	private static final Pattern LOOPBACK = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	public SimulatorConfig {
		hosts = loopbackHosts(List.copyOf(hosts));
		if (hostBandwidth < 0) {
			throw new IllegalArgumentException("a host's bandwidth is 0 (no cap) or more: " + hostBandwidth);
		}
		regions = List.copyOf(regions);
		accounts = List.copyOf(accounts);
		if (regions.isEmpty() || accounts.isEmpty()) {
			throw new IllegalArgumentException("a simulated cloud needs at least one region and one account");
		}
	}

	/**
	 * The simulator listens on loopback only: a host is an IPv4 address of 127.0.0.0/8,
	 * written as such (no name, which would need a lookup).
	 * @return the hosts, each checked
	 * @throws IllegalArgumentException naming one that is not
	 */
	static List<String> loopbackHosts(List<String> hosts) {
		if (hosts.isEmpty() || hosts.stream().distinct().count() != hosts.size()) {
			throw new IllegalArgumentException("a simulated cloud needs one or more distinct hosts: " + hosts);
		}
		hosts.forEach(SimulatorConfig::requireLoopback);
		return hosts;
	}

	private static void requireLoopback(String host) {
		Matcher m = LOOPBACK.matcher(host);
		boolean loopback = m.matches();
		for (int i = 1; loopback && i <= 3; i++) {
			loopback = Integer.parseInt(m.group(i)) <= 255;
		}
		if (!loopback) {
			throw new IllegalArgumentException(
					"a simulated host is a loopback address like 127.0.0.2, not '" + host + "'");
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.port = this.port;
		b.hosts = this.hosts;
		b.hostBandwidth = this.hostBandwidth;
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

		private List<String> hosts = List.of(DEFAULT_HOST);

		private long hostBandwidth;

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

		/**
		 * The loopback addresses to listen on, e.g. {@code 127.0.0.1} to
		 * {@code 127.0.0.4}: a client that reaches the simulator at one of them (its
		 * identity URL names it) is on that host.
		 */
		public Builder hosts(List<String> hosts) {
			this.hosts = hosts;
			return this;
		}

		/**
		 * Caps each host's link at this many bytes per second (object bodies, both ways
		 * together); 0, the default, for none.
		 */
		public Builder hostBandwidth(long bytesPerSecond) {
			this.hostBandwidth = bytesPerSecond;
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
			return new SimulatorConfig(this.port, this.hosts, this.hostBandwidth, this.regions, this.accounts,
					this.tokenTtl, this.taskExpiry, this.segmentSize, this.maxObjectSize, this.keepBytesUpTo,
					this.dataDir, this.faults, this.rules, this.clock);
		}

	}

}

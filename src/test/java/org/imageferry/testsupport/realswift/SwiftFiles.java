package org.imageferry.testsupport.realswift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The files of a single-node Swift under one directory: its servers' configurations and
 * rings in {@code etc/}, its one storage device in {@code devices/d1/}, and the servers'
 * logs in {@code logs/}. The rings are small (2^4 partitions, one replica, one device): a
 * test Swift holds a few hundred objects.
 */
final class SwiftFiles {

	/**
	 * Where every Swift server reads the hash path prefix and suffix and the storage
	 * policies; Swift has no option to read it from anywhere else.
	 */
	static final Path SWIFT_CONF = Path.of("/etc/swift/swift.conf");

	/**
	 * The proxy pipeline of a Swift deployment like Debian's default one, minus what
	 * needs other services (container sync, S3, Keystone).
	 */
	static final String PIPELINE = "catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl"
			+ " ratelimit tempauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging"
			+ " proxy-server";

	/** The same without {@code bulk}: a Swift that has no bulk delete. */
	static final String PIPELINE_WITHOUT_BULK = PIPELINE.replace(" bulk ", " ");

	/**
	 * Builds the three rings in one Python process: one Python start instead of three.
	 */
	private static final String RINGS = """
			import sys
			from swift.common.ring import RingBuilder
			etc = sys.argv[1]
			for kind, port in zip(("account", "container", "object"), sys.argv[2:5]):
			    builder = RingBuilder(4, 1, 1)
			    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
			                     "device": "d1", "weight": 1.0})
			    builder.rebalance()
			    builder.get_ring().save(etc + "/" + kind + ".ring.gz")
			""";

	private static final String SERVER = """
			[DEFAULT]
			bind_ip = 127.0.0.1
			bind_port = %d
			workers = 0
			user = %s
			swift_dir = %s
			devices = %s
			mount_check = false
			disable_fallocate = true
			log_name = %s-server

			[pipeline:main]
			pipeline = healthcheck %s-server

			[filter:healthcheck]
			use = egg:swift#healthcheck

			[app:%s-server]
			use = egg:swift#%s
			""";

	private static final String PROXY = """
			[DEFAULT]
			bind_ip = 127.0.0.1
			bind_port = %d
			workers = 0
			user = %s
			swift_dir = %s
			log_name = %s

			[pipeline:main]
			pipeline = %s

			[app:proxy-server]
			use = egg:swift#proxy
			account_autocreate = true

			[filter:tempauth]
			use = egg:swift#tempauth
			user_%s_%s = %s .admin
			user_%s_%s = %s .admin

			[filter:cache]
			use = egg:swift#memcache
			memcache_servers = 127.0.0.1:%d

			[filter:proxy-logging]
			use = egg:swift#proxy_logging

			[filter:container-quotas]
			use = egg:swift#container_quotas

			[filter:account-quotas]
			use = egg:swift#account_quotas
			""";

	/** Middlewares whose section is their egg name and nothing else. */
	private static final String[] PLAIN_FILTERS = { "catch_errors", "gatekeeper", "healthcheck", "listing_formats",
			"bulk", "tempurl", "ratelimit", "copy", "slo", "dlo", "versioned_writes", "symlink" };

	private static final String SWIFT_CONF_TEXT = """
			# written by image-ferry's tests for their single-node Swift, as no swift.conf existed
			[swift-hash]
			swift_hash_path_prefix = image-ferry-tests
			swift_hash_path_suffix = image-ferry-tests

			[storage-policy:0]
			name = Policy-0
			default = yes
			""";

	final Path dir;

	final Path etc;

	final Path devices;

	final Path logs;

	SwiftFiles(Path dir) {
		this.dir = dir;
		this.etc = dir.resolve("etc");
		this.devices = dir.resolve("devices");
		this.logs = dir.resolve("logs");
	}

	/** Writes the configurations; the rings come from {@link #buildRings}. */
	void write(Ports ports) throws IOException {
		Files.createDirectories(this.etc);
		Files.createDirectories(this.devices.resolve("d1"));
		Files.createDirectories(this.logs);
		String user = System.getProperty("user.name");
		server("account", ports.account(), user);
		server("container", ports.container(), user);
		server("object", ports.object(), user);
		proxy("proxy-server", ports.proxy(), PIPELINE, ports, user);
		proxy("proxy-server-without-bulk", ports.proxyWithoutBulk(), PIPELINE_WITHOUT_BULK, ports, user);
	}

	Path conf(String server) {
		return this.etc.resolve(server + ".conf");
	}

	Path log(String server) {
		return this.logs.resolve(server + ".log");
	}

	private void server(String kind, int port, String user) throws IOException {
		Files.writeString(conf(kind + "-server"),
				SERVER.formatted(port, user, this.etc, this.devices, kind, kind, kind, kind));
	}

	private void proxy(String name, int port, String pipeline, Ports ports, String user) throws IOException {
		StringBuilder conf = new StringBuilder(PROXY.formatted(port, user, this.etc, name, pipeline,
				RealSwift.SOURCE.account(), RealSwift.SOURCE.user(), RealSwift.SOURCE.key(), RealSwift.TARGET.account(),
				RealSwift.TARGET.user(), RealSwift.TARGET.key(), ports.memcached()));
		for (String filter : PLAIN_FILTERS) {
			conf.append("\n[filter:").append(filter).append("]\nuse = egg:swift#").append(filter).append('\n');
		}
		Files.writeString(conf(name), conf);
	}

	/** Starts building the rings; the caller waits for it with {@link #awaitRings}. */
	Process buildRings(Path python, Ports ports) throws IOException {
		return new ProcessBuilder(python.toString(), "-c", RINGS, this.etc.toString(),
				Integer.toString(ports.account()), Integer.toString(ports.container()),
				Integer.toString(ports.object()))
			.redirectErrorStream(true)
			.redirectOutput(log("rings").toFile())
			.start();
	}

	void awaitRings(Process rings) throws IOException, InterruptedException {
		if (!rings.waitFor(60, TimeUnit.SECONDS) || rings.exitValue() != 0) {
			rings.destroyForcibly();
			throw new IllegalStateException("building the rings failed: " + Files.readString(log("rings")));
		}
	}

	/**
	 * Writes {@code /etc/swift/swift.conf} when there is none (the tests run as root here
	 * and in CI); one that exists is left as it is.
	 */
	static void ensureSwiftConf() throws IOException {
		if (Files.exists(SWIFT_CONF)) {
			return;
		}
		try {
			Files.createDirectories(SWIFT_CONF.getParent());
			Files.writeString(SWIFT_CONF, SWIFT_CONF_TEXT, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Swift's servers read " + SWIFT_CONF + ", which does not exist and cannot"
					+ " be written by this user: run the tests as root or write it (see " + SwiftFiles.class + ")", ex);
		}
	}

	/** The loopback ports of one Swift's servers. */
	record Ports(int proxy, int proxyWithoutBulk, int account, int container, int object, int memcached) {

	}

}

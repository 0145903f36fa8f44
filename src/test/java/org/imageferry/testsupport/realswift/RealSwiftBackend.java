package org.imageferry.testsupport.realswift;

import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.StorageAccount;
import org.imageferry.cloud.SwiftClient;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.SwiftBackend;
import org.imageferry.testsupport.SwiftHttp;

/**
 * The two ends of a copy on this JVM's real Swift: the source is account {@code test}
 * ("DFW"), the target account {@code test2} ("IAD"), each with a container made for this
 * test ({@code exports-<n>}, {@code imports-<n>}), so that tests sharing the one Swift
 * never see each other's objects. Sides carry no {@code AccountSession}: tempauth is not
 * Rackspace identity, and the data path needs only the {@link SwiftClient}. Without bulk
 * delete, every request goes through the proxy that lacks the middleware
 * ({@link RealSwift#proxyWithoutBulk()}).
 */
public final class RealSwiftBackend implements SwiftBackend {

	private static final AtomicInteger TESTS = new AtomicInteger();

	private final RealSwift swift;

	private final long segmentSize;

	private final TempAuth sourceAccount;

	private final TempAuth targetAccount;

	private final SwiftClient source;

	private final SwiftClient target;

	private final String sourceContainer;

	private final String targetContainer;

	private final boolean bulkDelete;

	public RealSwiftBackend(RealSwift swift, long segmentSize) {
		this(swift, segmentSize, true);
	}

	/**
	 * @param bulkDelete whether the proxy offers bulk delete
	 */
	public RealSwiftBackend(RealSwift swift, long segmentSize, boolean bulkDelete) {
		this.swift = swift;
		this.segmentSize = segmentSize;
		this.bulkDelete = bulkDelete;
		int test = TESTS.incrementAndGet();
		this.sourceContainer = "exports-" + test;
		this.targetContainer = "imports-" + test;
		this.sourceAccount = bulkDelete ? swift.account(RealSwift.SOURCE) : swift.accountWithoutBulk(RealSwift.SOURCE);
		this.targetAccount = bulkDelete ? swift.account(RealSwift.TARGET) : swift.accountWithoutBulk(RealSwift.TARGET);
		Retries retries = new Retries(2, Duration.ofMillis(1), Duration.ofMillis(10), CloudObserver.NONE);
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		this.source = new SwiftClient(this.sourceAccount, "DFW", false, http, retries, Duration.ofSeconds(30));
		this.target = new SwiftClient(this.targetAccount, "IAD", false, http, retries, Duration.ofSeconds(30));
		require(sourceHttp().send("PUT", "/" + this.sourceContainer, null), 201);
		require(targetHttp().send("PUT", "/" + this.targetContainer, null), 201);
	}

	@Override
	public SwiftClient source() {
		return this.source;
	}

	@Override
	public SwiftClient target() {
		return this.target;
	}

	@Override
	public String sourceContainer() {
		return this.sourceContainer;
	}

	@Override
	public String targetContainer() {
		return this.targetContainer;
	}

	@Override
	public StorageAccount sourceAccount() {
		return this.sourceAccount;
	}

	@Override
	public StorageAccount targetAccount() {
		return this.targetAccount;
	}

	@Override
	public Side sourceSide() {
		return new Side("DFW", null, null, this.source, this.sourceContainer);
	}

	@Override
	public Side targetSide() {
		return new Side("IAD", null, null, this.target, this.targetContainer);
	}

	@Override
	public ObjectInfo put(String name, byte[] bytes) {
		require(sourceHttp().send("PUT", "/" + this.sourceContainer + "/" + SwiftHttp.encode(name), bytes,
				"Content-Type", "application/octet-stream"), 201);
		return list(sourceHttp(), this.sourceContainer, name).stream()
			.filter((o) -> o.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	/** Uploads the VHD's segments one by one, then the manifest, as an export does. */
	@Override
	public List<ObjectInfo> export(long size) {
		SyntheticVhd vhd = SyntheticVhd.fixed(size, 11);
		String manifest = UUID.randomUUID() + ".vhd";
		SwiftHttp http = sourceHttp();
		int number = 1;
		for (long offset = 0; offset < vhd.length(); offset += this.segmentSize, number++) {
			long from = offset;
			long length = Math.min(this.segmentSize, vhd.length() - offset);
			require(http.put(this.sourceContainer, manifest + "-%05d".formatted(number), () -> vhd.open(from, length),
					length, "Content-Type", "application/octet-stream"), 201);
		}
		require(http.send("PUT", "/" + this.sourceContainer + "/" + manifest, new byte[0], "X-Object-Manifest",
				this.sourceContainer + "/" + manifest + "-"), 201);
		return list(http, this.sourceContainer, manifest + "-");
	}

	@Override
	public List<ObjectInfo> targetObjects() {
		return list(targetHttp(), this.targetContainer, "");
	}

	@Override
	public String storedMd5(String name) {
		SwiftHttp.Response object = targetHttp().send("GET", "/" + this.targetContainer + "/" + SwiftHttp.encode(name),
				null);
		require(object, 200);
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(object.body()));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The proxy's access log of this test's containers. */
	@Override
	public List<Served> served() {
		return served(Set.of(this.sourceContainer, this.targetContainer)).stream()
			.map((s) -> new Served(s.account().equals("AUTH_" + RealSwift.SOURCE.account()) ? End.SOURCE : End.TARGET,
					s.method(), s.container(), s.object(), s.status()))
			.toList();
	}

	/**
	 * The most PUTs to the target container that the proxy's access log shows
	 * overlapping.
	 */
	@Override
	public int mostConcurrentUploads(Runnable work) {
		work.run();
		return ProxyLog
			.mostAtOnce(served(Set.of(this.targetContainer)).stream().filter((s) -> s.method().equals("PUT")).toList());
	}

	private List<ProxyLog.Served> served(Set<String> containers) {
		return (this.bulkDelete ? this.swift.proxyLog() : this.swift.proxyWithoutBulkLog()).served()
			.stream()
			.filter((s) -> s.object() != null && containers.contains(s.container()))
			.toList();
	}

	private static List<ObjectInfo> list(SwiftHttp http, String container, String prefix) {
		SwiftHttp.Response listing = http.send("GET",
				"/" + container + "?format=json&prefix=" + SwiftHttp.encode(prefix), null);
		require(listing, 200);
		List<ObjectInfo> objects = new ArrayList<>();
		for (JsonNode entry : listing.json()) {
			objects.add(new ObjectInfo(entry.path("name").asText(), entry.path("bytes").asLong(),
					entry.path("hash").asText(), null));
		}
		return objects;
	}

	private static void require(SwiftHttp.Response response, int status) {
		if (response.status() != status) {
			throw new IllegalStateException("the test Swift answered " + response + ", expected " + status);
		}
	}

	@Override
	public void close() {
		// the containers go with the JVM's Swift
	}

}

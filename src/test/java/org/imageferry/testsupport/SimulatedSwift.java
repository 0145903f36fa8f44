package org.imageferry.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.imageferry.cloud.AccountSession;
import org.imageferry.cloud.CloudObserver;
import org.imageferry.cloud.Credentials;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Retries;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.StorageAccount;
import org.imageferry.cloud.SwiftClient;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Cloud Files clients of one account in DFW (the source, container {@code exports}) and
 * IAD (the target, container {@code imports}) of a simulated cloud, for tests of the data
 * path without the job: objects put from bytes, or exported from a generated image when
 * they must be larger than the simulator keeps.
 */
public final class SimulatedSwift implements SwiftBackend {

	public static final String TENANT = "100001";

	public final SimulatedCloud cloud;

	public final AccountSession session;

	public final SwiftClient dfw;

	public final SwiftClient iad;

	public SimulatedSwift(SimulatorConfig.Builder config) throws IOException {
		this.cloud = SimulatedCloud.start(config.taskLatency(Duration.ZERO, Duration.ZERO).build());
		Retries retries = new Retries(2, Duration.ofMillis(1), Duration.ofMillis(10), CloudObserver.NONE);
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		this.session = new AccountSession(this.cloud.identityUrl(), new Credentials("alice", "alice-api-key"),
				Duration.ofSeconds(10), http.sslContext(), retries, Clock.systemUTC());
		this.dfw = new SwiftClient(this.session, "DFW", false, http, retries, Duration.ofSeconds(10));
		this.iad = new SwiftClient(this.session, "IAD", false, http, retries, Duration.ofSeconds(10));
		this.dfw.ensureContainer("exports");
		this.iad.ensureContainer("imports");
	}

	@Override
	public SwiftClient source() {
		return this.dfw;
	}

	@Override
	public SwiftClient target() {
		return this.iad;
	}

	@Override
	public String sourceContainer() {
		return "exports";
	}

	@Override
	public String targetContainer() {
		return "imports";
	}

	@Override
	public StorageAccount sourceAccount() {
		return this.session;
	}

	@Override
	public StorageAccount targetAccount() {
		return this.session;
	}

	@Override
	public Side sourceSide() {
		return new Side("DFW", this.session, null, this.dfw, "exports");
	}

	@Override
	public Side targetSide() {
		return new Side("IAD", this.session, null, this.iad, "imports");
	}

	/** Puts {@code bytes} as {@code exports/<name>} in DFW. */
	@Override
	public ObjectInfo put(String name, byte[] bytes) {
		this.dfw.put("exports", name, bytes.length, new ByteArrayInputStream(bytes), md5(bytes));
		return this.dfw.list("exports", name).get(0);
	}

	/**
	 * Exports a fixed VHD of {@code size} bytes into {@code exports} in DFW, as segments
	 * the simulator generates on read (readable at any size).
	 * @return the export's segments, in order
	 */
	@Override
	public List<ObjectInfo> export(long size) throws IOException, InterruptedException {
		String id = this.cloud.addImage(ImageSeed.of("DFW", TENANT, "exported", SyntheticVhd.fixed(size, 11)));
		String body = "{\"type\":\"export\",\"input\":{\"image_uuid\":\"" + id
				+ "\",\"receiving_swift_container\":\"exports\"}}";
		HttpResponse<String> created = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.cloud.imagesUrl("DFW") + "/tasks"))
				.header("X-Auth-Token", this.session.token())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (created.statusCode() != 201) {
			throw new IllegalStateException("export task: " + created.statusCode() + " " + created.body());
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (this.dfw.head("exports", id + ".vhd").isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the export of " + id + " did not end");
			}
			Thread.sleep(20);
		}
		return this.dfw.list("exports", id + ".vhd-");
	}

	public Inspection inspect() {
		return this.cloud.inspect();
	}

	/** Objects in IAD's {@code imports}. */
	public List<Inspection.ObjectView> imported() {
		return this.cloud.inspect()
			.objects("IAD", TENANT)
			.stream()
			.filter((o) -> o.container().equals("imports"))
			.toList();
	}

	@Override
	public List<ObjectInfo> targetObjects() {
		return imported().stream().map((o) -> new ObjectInfo(o.name(), o.bytes(), o.etag(), o.dloManifest())).toList();
	}

	@Override
	public String storedMd5(String name) {
		try {
			return this.cloud.inspect().md5("IAD", TENANT, "imports", name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The simulator's request log, paths
	 * {@code /files/<region>/v1/<account>/<container>/<object>}.
	 */
	@Override
	public List<Served> served() {
		return this.cloud.inspect().requests().stream().map((r) -> {
			String[] parts = r.path().split("/", 7);
			if (!(r.service().equals("files") || r.service().equals("snet")) || parts.length < 7) {
				return null;
			}
			return new Served(r.region().equals("DFW") ? End.SOURCE : End.TARGET, r.method(), parts[5], parts[6],
					r.status());
		}).filter((s) -> s != null).toList();
	}

	/** Watches the simulator's uploads in progress while {@code work} runs. */
	@Override
	public int mostConcurrentUploads(Runnable work) {
		Inspection inspection = this.cloud.inspect();
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger most = new AtomicInteger();
		CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
			while (!done.get()) {
				Set<String> uploading = inspection.uploadsInProgress();
				most.accumulateAndGet((int) uploading.stream().filter((o) -> o.contains("/imports/")).count(),
						Math::max);
				LockSupport.parkNanos(100_000);
			}
		});
		try {
			work.run();
		}
		finally {
			done.set(true);
			watcher.join();
		}
		return most.get();
	}

	public static String md5(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.cloud.close();
	}

}

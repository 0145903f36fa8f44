package org.imageferry.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.test.context.DynamicPropertyRegistry;

import org.imageferry.manifest.ManifestReader;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.Inspection;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.Content;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated cloud as the job's functional tests use it: small segments and short task
 * latencies (scaled down, not left out), images seeded in a region, manifests and
 * owner-only credentials files written to a directory, and the questions the tests ask of
 * the simulator's record.
 */
final class TestCloud implements AutoCloseable {

	static final long MIB = 1024 * 1024;

	final SimulatedCloud cloud;

	final Path dir;

	final Account alice;

	final Account bob;

	TestCloud(Path dir, SimulatorConfig.Builder config) throws IOException {
		this.dir = dir;
		this.cloud = SimulatedCloud.start(config.build());
		this.alice = this.cloud.config().accounts().get(0);
		this.bob = this.cloud.config().accounts().get(1);
	}

	static SimulatorConfig.Builder defaults() {
		return SimulatorConfig.builder().segmentSize(MIB).taskLatency(Duration.ofMillis(300), Duration.ofMillis(300));
	}

	/**
	 * The profile the in-context functional tests share: this cloud, the source account's
	 * images in {@code sourceRegion} moved to the target account in {@code targetRegion},
	 * polling and retries scaled down, the database in the test's directory. Values are
	 * read when the context starts, after {@code cloud} is.
	 */
	static void profile(DynamicPropertyRegistry registry, Supplier<TestCloud> cloud, boolean crossAccount,
			String sourceRegion, String targetRegion) {
		registry.add("image-ferry.identity-url", () -> cloud.get().cloud.identityUrl());
		registry.add("image-ferry.credentials-file",
				() -> cloud.get().credentials(cloud.get().alice, crossAccount ? cloud.get().bob : cloud.get().alice));
		registry.add("image-ferry.data-dir", () -> cloud.get().dir.resolve("data"));
		registry.add("image-ferry.source.region", () -> sourceRegion);
		registry.add("image-ferry.target.region", () -> targetRegion);
		registry.add("image-ferry.poll-interval", () -> "100ms");
		registry.add("image-ferry.retry-delay", () -> "10ms");
	}

	String seed(String region, Account owner, String name, Content vhd) {
		return this.cloud.addImage(ImageSeed.of(region, owner.tenantId(), name, vhd)
			.withMetadata(10, 512, List.of("web", name), Map.of("os_distro", "debian", "app", name)));
	}

	/**
	 * The job parameters the command line gives a run of {@code manifest} on
	 * {@code route}, dated {@code day} ({@code forcedAt}: {@code --force}, else null).
	 */
	static JobParameters parameters(Path manifest, String route, LocalDate day, String forcedAt, String profile) {
		return MigrationParameters.of(manifest.toString(), ManifestReader.read(manifest, false, 100_000), route, day,
				false, forcedAt, profile);
	}

	Path manifest(String name, String... lines) {
		try {
			return Files.writeString(this.dir.resolve(name),
					"image_id,target_name\n" + String.join("\n", lines) + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An owner-only credentials file: one account for both sides, or
	 * {@code source.}/{@code target.} keys.
	 */
	Path credentials(Account source, Account target) {
		String text = source.equals(target) ? "username=" + source.username() + "\napi-key=" + source.apiKey() + "\n"
				: "source.username=" + source.username() + "\nsource.api-key=" + source.apiKey() + "\ntarget.username="
						+ target.username() + "\ntarget.api-key=" + target.apiKey() + "\n";
		try {
			Path file = this.dir.resolve("credentials-" + source.username() + "-" + target.username());
			Files.deleteIfExists(file);
			return JobProfile.credentials(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Inspection inspect() {
		return this.cloud.inspect();
	}

	/**
	 * Tasks of a type created for an image (by its id in the export input or the import
	 * object name).
	 */
	List<Inspection.TaskView> tasksFor(String type, String imageId) {
		return inspect().tasks()
			.stream()
			.filter((t) -> t.type().equals(type))
			.filter((t) -> t.input().toString().contains(imageId))
			.toList();
	}

	/** Images in a region whose provenance names the source image. */
	List<Inspection.ImageView> migrated(String region, String sourceRegion, String sourceId) {
		return inspect().images()
			.stream()
			.filter((i) -> i.region().equals(region))
			.filter((i) -> (sourceRegion + ":" + sourceId).equals(i.properties().get("image_ferry_source")))
			.toList();
	}

	/** Names of the objects in an account's region, for clean-up checks. */
	List<String> objects(String region, Account account) {
		return inspect().objects(region, account.tenantId())
			.stream()
			.map((o) -> o.container() + "/" + o.name())
			.collect(Collectors.toList());
	}

	/** Stores an object as another tool would, with its own token. */
	void putOwnObject(String region, String container, String name) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String auth = """
				{"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "%s", "apiKey": "%s"}}}"""
			.formatted(this.alice.username(), this.alice.apiKey());
		HttpResponse<String> access = http.send(HttpRequest.newBuilder(URI.create(this.cloud.identityUrl() + "/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(auth))
			.build(), HttpResponse.BodyHandlers.ofString());
		String token = new ObjectMapper().readTree(access.body()).path("access").path("token").path("id").asText();
		HttpResponse<String> stored = http.send(HttpRequest
			.newBuilder(URI
				.create(this.cloud.filesUrl(region, this.alice.tenantId(), false) + "/" + container + "/" + name))
			.header("X-Auth-Token", token)
			.PUT(HttpRequest.BodyPublishers.ofString("kept: " + name))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
	}

	@Override
	public void close() {
		this.cloud.close();
	}

}

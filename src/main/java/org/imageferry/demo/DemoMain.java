package org.imageferry.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.Account;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.Content;
import org.imageferry.simulator.content.SyntheticVhd;

/**
 * The demo ({@code scripts/demo}): starts the simulated cloud in-process, places the
 * images of {@code sample-manifests/demo.csv} in DFW, and runs image-ferry's real command
 * line against it — {@code run --job jobs/demo.yml --manifest sample-manifests/demo.csv}
 * — with a fresh data directory. This class and the tests are the only code that knows
 * the simulator exists.
 */
public final class DemoMain {

	private static final long MIB = 1024 * 1024;

	private DemoMain() {
	}

	public static void main(String[] args) throws IOException {
		Path data = Path.of("target", "demo");
		delete(data);
		Files.createDirectories(data);
		SimulatorConfig config = SimulatorConfig.builder()
			.taskLatency(Duration.ofSeconds(2), Duration.ofSeconds(2))
			.segmentSize(16 * MIB)
			.dataDir(data.resolve("simulator"))
			.build();
		int code;
		try (SimulatedCloud cloud = SimulatedCloud.start(config)) {
			Account alice = config.accounts().get(0);
			seed(cloud, alice, "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa001", "web-01", SyntheticVhd.dynamic(256 * MIB, 1));
			seed(cloud, alice, "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa002", "app-01", SyntheticVhd.dynamic(512 * MIB, 2));
			seed(cloud, alice, "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa003", "db-01", SyntheticVhd.fixed(48 * MIB, 3));
			seed(cloud, alice, "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa004", "tiny", SyntheticVhd.fixed(4 * MIB, 4));
			Path credentials = data.resolve("credentials.properties");
			Files.createFile(credentials,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(credentials, "username=" + alice.username() + "\napi-key=" + alice.apiKey() + "\n");
			System.setProperty("image-ferry.identity-url", cloud.identityUrl());
			System.setProperty("image-ferry.credentials-file", credentials.toString());
			System.setProperty("image-ferry.data-dir", data.toString());
			System.setProperty("image-ferry.reports-dir", data.resolve("reports").toString());
			System.setProperty("image-ferry.metrics-textfile", data.resolve("reports/image-ferry.prom").toString());
			System.out.println("demo: simulated cloud at " + cloud.identityUrl() + " (regions " + config.regions()
					+ "), 4 images in DFW; migrating them to IAD");
			code = ImageFerryApplication.run(args.length > 0 ? args
					: new String[] { "run", "--job", "jobs/demo.yml", "--manifest", "sample-manifests/demo.csv" });
			long images = cloud.inspect().images().stream().filter((i) -> i.region().equals("IAD")).count();
			System.out.println("demo: IAD now holds " + images + " image(s); the job repository and ledger are in "
					+ data.resolve("image-ferry.mv.db"));
		}
		System.exit(code);
	}

	private static void seed(SimulatedCloud cloud, Account account, String id, String name, Content vhd) {
		cloud.addImage(ImageSeed.of("DFW", account.tenantId(), name, vhd)
			.withId(id)
			.withMetadata(20, 1024, List.of("demo", name),
					Map.of("os_distro", "ubuntu", "os_version", "24.04", "app_owner", "platform-team")));
	}

	private static void delete(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}

package org.imageferry.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Runs a simulated cloud on its own until interrupted ({@code scripts/simulate}). Prints
 * the identity URL, the accounts, the regions and the admin URL.
 */
public final class SimulatorMain {

	private static final String USAGE = """
			usage: scripts/simulate [--port N] [--regions DFW,ORD,IAD] [--task-latency 2s] [--segment-size BYTES]
			                        [--token-ttl 24h] [--data-dir DIR] [--images N]
			  --port          loopback port (default 8777; 0 picks a free one)
			  --regions       regions to serve
			  --task-latency  how long export and import tasks take (e.g. 500ms, 2s, 1m)
			  --segment-size  segment size of exported objects (default 1048576000, as Rackspace)
			  --token-ttl     token lifetime (default 24h)
			  --data-dir      where uploaded objects are kept (default: a temporary directory)
			  --images        seed N exportable images (256 MiB dynamic VHDs) for alice in the first region
			""";

	private SimulatorMain() {
	}

	public static void main(String[] args) throws Exception {
		SimulatorConfig.Builder config = SimulatorConfig.builder().port(8777);
		int images = 0;
		try {
			for (int i = 0; i < args.length; i++) {
				String value = (i + 1 < args.length) ? args[i + 1] : null;
				switch (args[i]) {
					case "--port" -> config.port(Integer.parseInt(required(args[i], value)));
					case "--regions" -> config.regions(Arrays.asList(required(args[i], value).split(",")));
					case "--task-latency" -> {
						Duration latency = duration(required(args[i], value));
						config.taskLatency(latency, latency);
					}
					case "--segment-size" -> config.segmentSize(Long.parseLong(required(args[i], value)));
					case "--token-ttl" -> config.tokenTtl(duration(required(args[i], value)));
					case "--data-dir" -> config.dataDir(Path.of(required(args[i], value)));
					case "--images" -> images = Integer.parseInt(required(args[i], value));
					case "--help", "-h" -> {
						System.out.print(USAGE);
						return;
					}
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
				i++;
			}
		}
		catch (IllegalArgumentException ex) {
			System.err.println("simulate: " + ex.getMessage());
			System.err.print(USAGE);
			System.exit(64);
		}
		SimulatedCloud cloud = SimulatedCloud.start(config.build());
		List<String> regions = cloud.config().regions();
		StringBuilder seeded = new StringBuilder();
		for (int i = 1; i <= images; i++) {
			Account alice = cloud.config().accounts().get(0);
			String id = cloud.addImage(ImageSeed.of(regions.get(0), alice.tenantId(), "demo-" + i,
					SyntheticVhd.dynamic(256L * 1024 * 1024, i)));
			seeded.append("  ")
				.append(id)
				.append("  demo-")
				.append(i)
				.append(" (")
				.append(regions.get(0))
				.append(")\n");
		}
		System.out.println("image-ferry simulated Rackspace cloud");
		System.out.println("identity:  " + cloud.identityUrl() + "   (POST /v2.0/tokens)");
		System.out.println("regions:   " + String.join(", ", regions));
		for (String region : regions) {
			System.out.println("  " + region + "  cloudImages " + cloud.imagesUrl(region) + "   cloudFiles "
					+ cloud.baseUrl() + "/files/" + region + "/v1/MossoCloudFS_<tenant>");
		}
		System.out.println("accounts:  (simulator-only credentials)");
		for (Account a : cloud.config().accounts()) {
			System.out.println("  username " + a.username() + "  apiKey " + a.apiKey() + "  password " + a.password()
					+ "  tenant " + a.tenantId());
		}
		System.out
			.println("admin:     " + cloud.adminUrl() + "   (GET tasks|images|requests, objects?region=&tenant=)");
		if (images > 0) {
			System.out.print("images:\n" + seeded);
		}
		System.out.println("Ctrl-C stops it.");
		Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
		new CountDownLatch(1).await();
	}

	private static String required(String option, String value) {
		if (value == null) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return value;
	}

	static Duration duration(String text) {
		String t = text.trim().toLowerCase();
		try {
			if (t.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
			}
			long n = Long.parseLong(t.substring(0, t.length() - 1));
			return switch (t.charAt(t.length() - 1)) {
				case 's' -> Duration.ofSeconds(n);
				case 'm' -> Duration.ofMinutes(n);
				case 'h' -> Duration.ofHours(n);
				default -> throw new IllegalArgumentException("bad duration '" + text + "' (use 500ms, 2s, 1m, 24h)");
			};
		}
		catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("bad duration '" + text + "' (use 500ms, 2s, 1m, 24h)");
		}
	}

}

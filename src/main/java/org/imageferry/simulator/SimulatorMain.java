package org.imageferry.simulator;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Runs a simulated cloud on its own until interrupted ({@code scripts/simulate}). Prints
 * the identity URL, the accounts, the regions and the admin URL, and how to seed images
 * and migrate them with {@code jobs/simulated.yml}.
 */
public final class SimulatorMain {

	static final int DEFAULT_PORT = 8777;

	private static final String USAGE = """
			usage: scripts/simulate [--profile default|rackspace-strict] [--config FILE.yml] [--images N] [--KNOB VALUE]...
			  --profile  a named set of knob values, applied first (rackspace-strict: Rackspace as documented where the
			             default is friendlier: protected properties, task and write limits, no bulk delete, ...)
			  --config   a YAML file of knob values (knob: value; 'profile:' too), applied after the profile
			  --images   seed N exportable images (256 MiB dynamic VHDs) for alice in the first region
			Knobs (flags override the file; live knobs can also be changed at /_admin/knobs while it runs):
			""";

	/**
	 * The identity URL {@code jobs/simulated.yml} names: this simulator's on its default
	 * port. On another port the banner's command overrides it.
	 */
	static final String SIMULATED_PROFILE_IDENTITY = "http://127.0.0.1:" + DEFAULT_PORT + "/v2.0";

	private SimulatorMain() {
	}

	public static void main(String[] args) throws Exception {
		Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder().port(DEFAULT_PORT));
		int images = 0;
		String profile = "default";
		try {
			// the profile is the base the other knobs change, wherever it stands
			int at = List.of(args).indexOf("--profile");
			if (at >= 0) {
				profile = required("--profile", (at + 1 < args.length) ? args[at + 1] : null);
				Knobs.profile(settings, profile);
			}
			for (int i = 0; i < args.length; i++) {
				String value = (i + 1 < args.length) ? args[i + 1] : null;
				String name = args[i].startsWith("--") ? args[i].substring(2) : args[i];
				switch (args[i]) {
					case "--help", "-h" -> {
						System.out.print(USAGE + Knobs.help());
						return;
					}
					case "--profile" -> {
						// applied first, above
					}
					case "--config" -> Knobs.file(settings, Path.of(required(args[i], value)));
					case "--images" -> images = count(args[i], required(args[i], value));
					default -> {
						if (!args[i].startsWith("--") || !Knobs.isKnob(name)) {
							throw new IllegalArgumentException("unknown option " + args[i]);
						}
						Knobs.set(settings, name, required(args[i], value));
					}
				}
				i++;
			}
		}
		catch (IllegalArgumentException ex) {
			System.err.println("simulate: " + ex.getMessage() + " (scripts/simulate --help lists the options)");
			System.exit(64);
		}
		SimulatorConfig.Builder config = settings.build();
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
		System.out.print(banner(cloud, profile, seeded.toString()));
		System.out.println("Ctrl-C stops it.");
		Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
		new CountDownLatch(1).await();
	}

	/**
	 * What an operator needs to use the cloud: its endpoints and simulator-only accounts,
	 * then how to put images in it and run image-ferry's job against it with
	 * {@code jobs/simulated.yml}, whose identity URL is this simulator's default one.
	 * @param seeded the images {@code --images} placed, one a line, or empty
	 */
	static String banner(SimulatedCloud cloud, String profile, String seeded) {
		List<String> regions = cloud.config().regions();
		Account alice = cloud.config().accounts().get(0);
		StringBuilder text = new StringBuilder();
		text.append("image-ferry simulated Rackspace cloud (profile ").append(profile).append(")\n");
		text.append("identity:  ").append(cloud.identityUrl()).append("   (POST /v2.0/tokens)\n");
		List<String> hosts = cloud.config().hosts();
		if (hosts.size() > 1 || cloud.config().hostBandwidth() > 0) {
			long cap = cloud.config().hostBandwidth();
			text.append("hosts:     ")
				.append(String.join(", ", hosts))
				.append((cap > 0) ? ", each its own link of " + cap + " bytes/s (object bodies, both ways)" : "")
				.append("\n           a client is on the host its identity URL names, e.g. IMAGE_FERRY_IDENTITY_URL=")
				.append(cloud.identityUrl(hosts.get(hosts.size() - 1)))
				.append('\n');
		}
		text.append("regions:   ").append(String.join(", ", regions)).append('\n');
		for (String region : regions) {
			text.append("  ")
				.append(region)
				.append("  cloudImages ")
				.append(cloud.imagesUrl(region))
				.append("   cloudFiles ")
				.append(cloud.baseUrl())
				.append("/files/")
				.append(region)
				.append("/v1/MossoCloudFS_<tenant>\n");
		}
		text.append("accounts:  (simulator-only credentials)\n");
		for (Account a : cloud.config().accounts()) {
			text.append("  username %s  apiKey %s  password %s  tenant %s%n".formatted(a.username(), a.apiKey(),
					a.password(), a.tenantId()));
		}
		text.append("admin:     ")
			.append(cloud.adminUrl())
			.append("   (GET tasks|images|requests|knobs, objects?region=&tenant=; PATCH knobs)\n");
		if (!seeded.isEmpty()) {
			text.append("images:\n").append(seeded);
		}
		text.append(
				"""
						seed images: start with --images N (N exportable 256 MiB images of %1$s in %2$s), or while it runs:
						  curl -X POST %3$s/images -d '{"region":"DFW","tenant":"%4$s","name":"web-01","kind":"dynamic","virtual_size":268435456}'
						  (it answers the new image's id; GET %3$s/images lists every image)
						migrate DFW -> IAD: write images.csv, a line image_id then one image id a line, and run
						  %5$sRAX_USERNAME=%1$s RAX_API_KEY=%6$s scripts/migrate run --job jobs/simulated.yml --manifest images.csv
						"""
					.formatted(alice.username(), regions.get(0), cloud.adminUrl(), alice.tenantId(),
							cloud.identityUrl().equals(SIMULATED_PROFILE_IDENTITY) ? ""
									: "IMAGE_FERRY_IDENTITY_URL=" + cloud.identityUrl() + " ",
							alice.apiKey()));
		return text.toString();
	}

	private static String required(String option, String value) {
		if (value == null) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return value;
	}

	private static int count(String option, String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
		}
	}

}

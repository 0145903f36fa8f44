package org.imageferry.simulator;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.imageferry.simulator.content.SyntheticVhd;

/**
 * Runs a simulated cloud on its own until interrupted ({@code scripts/simulate}). Prints
 * the identity URL, the accounts, the regions and the admin URL.
 */
public final class SimulatorMain {

	private static final String USAGE = """
			usage: scripts/simulate [--profile default|rackspace-strict] [--config FILE.yml] [--images N] [--KNOB VALUE]...
			  --profile  a named set of knob values, applied first (rackspace-strict: Rackspace as documented where the
			             default is friendlier: protected properties, task and write limits, no bulk delete, ...)
			  --config   a YAML file of knob values (knob: value; 'profile:' too), applied after the profile
			  --images   seed N exportable images (256 MiB dynamic VHDs) for alice in the first region
			Knobs (flags override the file; live knobs can also be changed at /_admin/knobs while it runs):
			""";

	private SimulatorMain() {
	}

	public static void main(String[] args) throws Exception {
		Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder().port(8777));
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
		System.out.println("image-ferry simulated Rackspace cloud (profile " + profile + ")");
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
		System.out.println("admin:     " + cloud.adminUrl()
				+ "   (GET tasks|images|requests|knobs, objects?region=&tenant=; PATCH knobs)");
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

	private static int count(String option, String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
		}
	}

}

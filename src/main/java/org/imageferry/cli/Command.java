package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A parsed command line:
 * {@code run --job jobs/<name>.yml --manifest <file> [--strict] [--force]}.
 */
public record Command(String verb, Path job, Path manifest, boolean strict, boolean force, boolean help) {

	public static final String USAGE = """
			usage: image-ferry run --job jobs/<name>.yml --manifest <file.csv> [--strict] [--force]
			  run       migrate the images a manifest lists; the same command again restarts or resumes the run
			  --job       the job profile: source and target region, containers, concurrency, clean-up
			  --manifest  CSV with a header: image_id (required), target_name (optional)
			  --strict    refuse the whole manifest if any line is invalid (default: invalid lines fail, the rest go on)
			  --force     migrate again images an earlier run already migrated
			  --help      this text
			credentials come from the environment: RAX_USERNAME and RAX_API_KEY (or RAX_SOURCE_*/RAX_TARGET_*)
			exit codes: 0 all migrated, 2 some images failed, 1 run failed (restartable), 64 usage,
			            65 manifest refused, 75 another run holds the lock
			""";

	public static Command parse(List<String> args) {
		if (args.isEmpty()) {
			throw new UsageException("no command given");
		}
		if (args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
			return new Command(args.get(0), null, null, false, false, true);
		}
		String verb = args.get(0);
		if (!verb.equals("run")) {
			throw new UsageException("unknown command '" + verb + "'");
		}
		Path job = null;
		Path manifest = null;
		boolean strict = false;
		boolean force = false;
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			switch (arg) {
				case "--job" -> job = Path.of(value(args, ++i, arg));
				case "--manifest" -> manifest = Path.of(value(args, ++i, arg));
				case "--strict" -> strict = true;
				case "--force" -> force = true;
				default -> throw new UsageException("unknown option '" + arg + "'");
			}
		}
		if (job == null) {
			throw new UsageException("run needs --job jobs/<name>.yml");
		}
		if (!Files.isRegularFile(job)) {
			throw new UsageException("job profile " + job + " does not exist");
		}
		if (manifest == null) {
			throw new UsageException("run needs --manifest <file.csv>");
		}
		return new Command(verb, job, manifest, strict, force, false);
	}

	private static String value(List<String> args, int i, String option) {
		if (i >= args.size() || args.get(i).startsWith("--")) {
			throw new UsageException(option + " needs a value");
		}
		return args.get(i);
	}

	/** The profile's name, e.g. {@code nightly} for {@code jobs/nightly.yml}. */
	public String profile() {
		String name = this.job.getFileName().toString();
		return name.replaceFirst("\\.ya?ml$", "");
	}

}

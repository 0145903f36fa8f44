package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: a verb and its options. Each verb takes only its own options;
 * anything else is a usage error (exit 64). An option's value may follow it or be joined
 * to it with {@code =}, as GNU tools take it.
 */
public record Command(String verb, Path job, Path manifest, boolean strict, boolean force, boolean dryRun,
		Long execution, boolean help, boolean verbose, LocalTime until) {

	static final String RUN = "run";

	static final String RESTART = "restart";

	static final String STATUS = "status";

	static final String STOP = "stop";

	static final String REPORT = "report";

	/** Runs a worker: its own Spring profile, its own runner. */
	public static final String WORKER = "worker";

	public static final String USAGE = """
			usage: image-ferry <command> --job jobs/<name>.yml [options]
			  run --manifest <file.csv> [--dry-run] [--strict] [--force] [--until HH:MM] [--verbose]
			            migrate the images a manifest lists; the same command again resumes the same run
			  restart [--execution ID] [--until HH:MM] [--verbose]
			            resume a failed or stopped run (default: the profile's last one)
			  status  [--execution ID]   per-image table of a run (default: the profile's last), also while it runs
			  stop    [--execution ID]   ask a running run to stop: in-flight work is kept, `restart` resumes it
			  report  [--execution ID]   (re)write a run's report files (CSV, JSON, HTML)
			  worker                     copy a run's images beside its `run` (a profile with workers: N), on any host
			                             that reaches the shared database; ends when that run ends
			  <command> --help           what a command does and takes
			options take their value as the next argument or after '=': --manifest images.csv, --manifest=images.csv
			credentials come from the environment: RAX_USERNAME and RAX_API_KEY (or RAX_SOURCE_*/RAX_TARGET_*)
			exit codes: 0 all migrated, 2 some images failed, 1 run failed (restartable), 3 window closed (work
			            remains: the same command carries on), 64 usage, 65 manifest refused, 75 another run holds the lock
			""";

	private static final Map<String, String> VERB_USAGE = Map.of(RUN, """
			usage: image-ferry run --job jobs/<name>.yml --manifest <file.csv> [--dry-run] [--strict] [--force]
			                       [--until HH:MM] [--verbose]
			  Migrates every image the manifest lists, from the profile's source region to its target region, and
			  prints a per-image outcome table. Running the same command again restarts (or recovers) the same run.
			  --job       the job profile: regions, containers, concurrency, clean-up
			  --manifest  CSV with a header: image_id (required), target_name (optional)
			  --dry-run   print the plan (images, sizes, pre-flight failures, containers to create); create nothing
			  --strict    refuse the whole manifest if any line is invalid (default: invalid lines fail, the rest go on)
			  --force     migrate again images an earlier run already migrated
			  --until     stop at HH:MM (the profile's window zone, else the system's) instead of the window's end;
			              the run starts now even outside the window, and exits 3 if work remains at HH:MM
			  --verbose   on a terminal, also show the INFO log lines (each image's steps) above the live line
			""", RESTART, """
			usage: image-ferry restart --job jobs/<name>.yml [--execution ID] [--until HH:MM] [--verbose]
			  Resumes a failed or stopped run (recovering one a killed process left running) without repeating
			  finished work. Default: the profile's most recent run that did not complete.
			  --until     stop at HH:MM instead of the window's end (as for run)
			  --verbose   on a terminal, also show the INFO log lines (each image's steps) above the live line
			""", STATUS, """
			usage: image-ferry status --job jobs/<name>.yml [--execution ID]
			  Prints a run's per-image table: state, phase, target image, failure code and explanation, bytes,
			  time per phase. Works while the run is in progress in another process. Default: the profile's last run.
			""", STOP, """
			usage: image-ferry stop --job jobs/<name>.yml [--execution ID]
			  Asks the running run to stop at its next cycle: tasks in flight stay recorded, transfers resume at
			  the segment they reached. The run ends STOPPED; `restart` resumes it.
			""", REPORT, """
			usage: image-ferry report --job jobs/<name>.yml [--execution ID]
			  (Re)writes a run's report files (CSV, JSON, HTML with a timeline) under the profile's reports
			  directory. Default: the profile's last run.
			""", WORKER, """
			usage: image-ferry worker --job jobs/<name>.yml
			  Waits for a run of the profile (`run` with `workers: N`) to hand it a slot, then copies the run's
			  exported images beside the other workers, sharing them through leases in the database; ends (exit 0)
			  when the run has nothing left to copy or ends. SIGTERM: the copies finish their segment, the leases
			  are given up, exit 0. The profile's spring.datasource.url must name the database the run uses:
			  PostgreSQL for several hosts (on one host, an H2 file URL with AUTO_SERVER=TRUE).
			""");

	private static final Map<String, Set<String>> OPTIONS = Map.of(RUN,
			Set.of("--job", "--manifest", "--dry-run", "--strict", "--force", "--until", "--verbose"), RESTART,
			Set.of("--job", "--execution", "--until", "--verbose"), STATUS, Set.of("--job", "--execution"), STOP,
			Set.of("--job", "--execution"), REPORT, Set.of("--job", "--execution"), WORKER, Set.of("--job"));

	/** Options that take a value: {@code --job FILE} or {@code --job=FILE}. */
	private static final Set<String> VALUED = Set.of("--job", "--manifest", "--execution", "--until");

	public static Command parse(List<String> args) {
		if (args.isEmpty()) {
			throw new UsageException("no command given");
		}
		String verb = args.get(0);
		if (verb.equals("help") || verb.equals("--help") || verb.equals("-h")) {
			return new Command("help", null, null, false, false, false, null, true, false, null);
		}
		Set<String> allowed = OPTIONS.get(verb);
		if (allowed == null) {
			throw new UsageException("unknown command '" + verb + "'");
		}
		if (args.contains("--help") || args.contains("-h")) {
			return new Command(verb, null, null, false, false, false, null, true, false, null);
		}
		Path job = null;
		Path manifest = null;
		Long execution = null;
		boolean strict = false;
		boolean force = false;
		boolean dryRun = false;
		boolean verbose = false;
		LocalTime until = null;
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			// --option=value, as GNU tools take it, or --option value
			int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
			String option = (equals > 0) ? arg.substring(0, equals) : arg;
			if (!allowed.contains(option)) {
				throw new UsageException(arg.startsWith("-") ? verb + " takes no option '" + option + "'"
						: "unexpected argument '" + arg + "'");
			}
			String value = null;
			if (VALUED.contains(option)) {
				value = (equals > 0) ? arg.substring(equals + 1) : value(args, ++i, option);
				if (value.isEmpty()) {
					throw new UsageException(option + " needs a value");
				}
			}
			else if (equals > 0) {
				throw new UsageException(option + " takes no value");
			}
			switch (option) {
				case "--job" -> job = Path.of(value);
				case "--manifest" -> manifest = Path.of(value);
				case "--execution" -> execution = number(value);
				case "--strict" -> strict = true;
				case "--force" -> force = true;
				case "--dry-run" -> dryRun = true;
				case "--verbose" -> verbose = true;
				case "--until" -> until = timeOfDay(value);
				default -> throw new IllegalStateException(option);
			}
		}
		if (job == null) {
			throw new UsageException(verb + " needs --job jobs/<name>.yml");
		}
		if (!Files.isRegularFile(job)) {
			throw new UsageException("job profile " + job + " does not exist");
		}
		if (verb.equals(RUN) && manifest == null) {
			throw new UsageException("run needs --manifest <file.csv>");
		}
		return new Command(verb, job, manifest, strict, force, dryRun, execution, false, verbose, until);
	}

	private static LocalTime timeOfDay(String text) {
		if (text.matches("\\d{1,2}:\\d{2}")) {
			try {
				return LocalTime.parse((text.length() == 4) ? "0" + text : text);
			}
			catch (DateTimeParseException ex) {
				// reported below
			}
		}
		throw new UsageException("--until needs a time of day HH:MM, e.g. 06:00, not '" + text + "'");
	}

	private static String value(List<String> args, int i, String option) {
		if (i >= args.size() || args.get(i).startsWith("--")) {
			throw new UsageException(option + " needs a value");
		}
		return args.get(i);
	}

	private static Long number(String text) {
		try {
			long n = Long.parseLong(text);
			if (n > 0) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException("--execution needs a positive number, not '" + text + "'");
	}

	/** The usage text of this command's verb (or of all verbs). */
	public String usage() {
		return VERB_USAGE.getOrDefault(this.verb, USAGE);
	}

	/** The profile's name, e.g. {@code nightly} for {@code jobs/nightly.yml}. */
	public String profile() {
		String name = this.job.getFileName().toString();
		return name.replaceFirst("\\.ya?ml$", "");
	}

}

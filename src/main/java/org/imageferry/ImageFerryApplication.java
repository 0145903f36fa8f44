package org.imageferry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import org.imageferry.cli.Command;
import org.imageferry.cli.DatabaseAddress;
import org.imageferry.cli.ExitCodes;
import org.imageferry.cli.FerryRunner;
import org.imageferry.cli.JobProfileFile;
import org.imageferry.cli.UsageException;
import org.imageferry.cli.WorkerRunner;
import org.imageferry.job.ConfigurationException;
import org.imageferry.job.FerryProperties;
import org.imageferry.manifest.ManifestException;
import org.imageferry.manifest.ManifestReader;

/**
 * Entry point. What can be refused is refused before Spring starts, which takes seconds:
 * the command line, the job profile named by {@code --job} (unknown keys, values of the
 * wrong type) and {@code run}'s manifest — a refusal costs a fraction of a second and
 * prints no stack trace. The profile then becomes an extra configuration file; values
 * that cannot work (the constraints on {@code FerryProperties}) stop the application
 * context as it binds them, with the same kind of message and exit code — except a
 * database that cannot be reached, which is the environment's failure (exit 1, like an
 * unreachable identity endpoint). The exit code is the run's, so cron and systemd see
 * failures.
 */
@SpringBootApplication
public class ImageFerryApplication {

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/**
	 * Runs a command and returns its exit code (the demo and tests call this in-process).
	 */
	public static int run(String... args) {
		Command command;
		try {
			command = Command.parse(List.of(args));
		}
		catch (UsageException ex) {
			System.err.println("image-ferry: " + ex.getMessage());
			System.err.print(Command.USAGE);
			return ExitCodes.USAGE;
		}
		if (command.help()) {
			System.out.print(command.usage());
			return ExitCodes.MIGRATED;
		}
		try {
			FerryProperties properties = JobProfileFile.load(command.job());
			// a line limit below 1 is the profile's error, which the context reports as
			// such
			if (command.manifest() != null && properties.maxManifestLines() >= 1) {
				ManifestReader.read(command.manifest(), command.strict(), properties.maxManifestLines());
			}
		}
		catch (ConfigurationException ex) {
			System.err.println("image-ferry: " + ex.getMessage());
			return ExitCodes.USAGE;
		}
		catch (ManifestException ex) {
			System.err.println("image-ferry: " + ex.getMessage());
			return ExitCodes.MANIFEST_REFUSED;
		}
		SpringApplication application = new SpringApplication(ImageFerryApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		boolean worker = command.verb().equals(Command.WORKER);
		if (worker) {
			application.setAdditionalProfiles(WorkerRunner.PROFILE);
		}
		AtomicReference<Environment> environment = new AtomicReference<>();
		application.addListeners((ApplicationListener<ApplicationEvent>) (event) -> {
			if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
				environment.set(prepared.getEnvironment());
			}
		});
		List<String> springArgs = new ArrayList<>();
		springArgs.add("--spring.config.additional-location=file:" + command.job().toAbsolutePath());
		ConfigurableApplicationContext context;
		try {
			context = application.run(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			String url = (environment.get() != null) ? environment.get().getProperty("spring.datasource.url") : null;
			Optional<String> unreachable = DatabaseAddress.unreachable(ex, url);
			if (unreachable.isPresent()) {
				System.err.println("image-ferry: " + unreachable.get());
				return ExitCodes.RUN_FAILED;
			}
			System.err.println("image-ferry: could not start with job profile " + command.job() + ": "
					+ JobProfileFile.bindFailure(ex));
			return ExitCodes.USAGE;
		}
		try (context) {
			return worker ? context.getBean(WorkerRunner.class).execute(command)
					: context.getBean(FerryRunner.class).execute(command);
		}
	}

}

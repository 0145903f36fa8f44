package org.imageferry;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.ConfigurableApplicationContext;

import org.imageferry.cli.Command;
import org.imageferry.cli.ExitCodes;
import org.imageferry.cli.FerryRunner;
import org.imageferry.cli.UsageException;

/**
 * Entry point. The command line is checked before Spring starts (a usage error costs
 * nothing and prints no stack trace); the job profile named by {@code --job} becomes an
 * extra configuration file; the exit code is the run's, so cron and systemd see failures.
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
		SpringApplication application = new SpringApplication(ImageFerryApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		List<String> springArgs = new ArrayList<>();
		springArgs.add("--spring.config.additional-location=file:" + command.job().toAbsolutePath());
		ConfigurableApplicationContext context;
		try {
			context = application.run(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			System.err
				.println("image-ferry: could not start with job profile " + command.job() + ": " + startFailure(ex));
			return ExitCodes.USAGE;
		}
		try (context) {
			return context.getBean(FerryRunner.class).execute(command);
		}
	}

	/** Names the profile key and value when one could not be bound. */
	private static String startFailure(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof BindException bind && bind.getProperty() != null) {
				ConfigurationProperty property = bind.getProperty();
				return property.getName() + " = '" + property.getValue() + "' is not valid"
						+ ((property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "") + ": "
						+ rootMessage(ex);
			}
		}
		return rootMessage(ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable t = ex;
		while (t.getCause() != null) {
			t = t.getCause();
		}
		return (t.getMessage() != null) ? t.getMessage() : t.toString();
	}

}

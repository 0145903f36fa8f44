package org.imageferry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/**
 * The ledger's schema for tests that build a {@code Ledger} without the application
 * context: the application's own Flyway migrations ({@code db/migration}), which Spring
 * Boot runs at start-up, not a copy of their DDL; and its baseline settings
 * ({@code spring.flyway.*} in {@code application.yml}), so that a database made before
 * Flyway is migrated here as there.
 */
public final class LedgerSchema {

	private LedgerSchema() {
	}

	/**
	 * An H2 file database named {@code ledger} in {@code dir}, migrated to the newest
	 * schema: what the ledger's own tests open.
	 */
	public static HikariDataSource fileDatabase(Path dir) {
		return LedgerDatabase.H2.create(dir).pool();
	}

	/** Brings the database up to the newest migration; nothing when it is there. */
	public static void migrate(DataSource dataSource) {
		Binder application;
		try {
			application = new Binder(ConfigurationPropertySources.from(
					new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// the ledger's tests run on H2: its vendor's scripts beside the common ones
		String[] locations = application.bind("spring.flyway.locations", String[].class)
			.map((all) -> java.util.Arrays.stream(all).map((l) -> l.replace("{vendor}", "h2")).toArray(String[]::new))
			.orElse(new String[] { "classpath:db/migration" });
		Flyway.configure()
			.dataSource(dataSource)
			.locations(locations)
			.baselineOnMigrate(application.bind("spring.flyway.baseline-on-migrate", Boolean.class).orElse(false))
			.baselineVersion(application.bind("spring.flyway.baseline-version", String.class).orElse("1"))
			.load()
			.migrate();
	}

}

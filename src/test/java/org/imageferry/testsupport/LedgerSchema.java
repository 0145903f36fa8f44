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
		// the database's own scripts beside the common ones, as Spring Boot picks them
		// ({vendor}: h2, postgresql)
		String vendor = vendor(dataSource);
		String[] locations = application.bind("spring.flyway.locations", String[].class)
			.map((all) -> java.util.Arrays.stream(all).map((l) -> l.replace("{vendor}", vendor)).toArray(String[]::new))
			.orElse(new String[] { "classpath:db/migration" });
		Flyway.configure()
			.dataSource(dataSource)
			.locations(locations)
			.baselineOnMigrate(application.bind("spring.flyway.baseline-on-migrate", Boolean.class).orElse(false))
			.baselineVersion(application.bind("spring.flyway.baseline-version", String.class).orElse("1"))
			.load()
			.migrate();
	}

	private static String vendor(DataSource dataSource) {
		try (java.sql.Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("cannot tell the database's vendor", ex);
		}
	}

}

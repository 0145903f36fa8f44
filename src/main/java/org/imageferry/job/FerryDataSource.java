package org.imageferry.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.core.env.Environment;

import org.imageferry.report.FerryMetrics;

/**
 * image-ferry's part in Spring Boot's datasource ({@code spring.datasource.*}): defaults
 * that follow the job profile where the operator set nothing, and the timing of every
 * statement. Without {@code spring.datasource.url} the job repository and the ledger live
 * in an H2 file database in the profile's {@code data-dir} (made absolute, relative to
 * the working directory: H2 refuses implicitly relative paths); without
 * {@code spring.datasource.hikari.maximum-pool-size} the pool is sized for the run's
 * concurrency; on PostgreSQL, opening a connection waits no longer than the pool waits
 * for one ({@code spring.datasource.hikari.connection-timeout}).
 */
final class FerryDataSource implements BeanPostProcessor {

	static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";

	/** PostgreSQL's JDBC driver: how long opening a connection may take, in seconds. */
	private static final String LOGIN_TIMEOUT = "loginTimeout";

	private final ObjectProvider<FerryProperties> properties;

	private final ObjectProvider<FerryMetrics> metrics;

	private final Environment environment;

	FerryDataSource(ObjectProvider<FerryProperties> properties, ObjectProvider<FerryMetrics> metrics,
			Environment environment) {
		this.properties = properties;
		this.metrics = metrics;
		this.environment = environment;
	}

	/**
	 * The H2 file database in {@code dataDir}. {@code AUTO_SERVER} lets another process
	 * read it while a run is in progress.
	 */
	static String h2Url(Path dataDir) {
		Path dir;
		try {
			dir = Files.createDirectories(dataDir).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the data directory " + dataDir, ex);
		}
		// WRITE_DELAY=500 (H2's default): a commit reaches the file within half a second,
		// in the background. The ledger writes what must outlive a killed process — the
		// record that a task is about to be created — at once (CHECKPOINT,
		// Dialect.flush);
		// WRITE_DELAY=0, a chunk written for every commit, was a tenth of the job's CPU.
		// OPTIMIZE_REUSE_RESULTS=FALSE: H2 may answer a repeated query from its last
		// result although another connection committed a change since (h2database
		// #3894); the pump asks the same questions every cycle while workers commit.
		return "jdbc:h2:file:" + dir.resolve("image-ferry")
				+ ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=500;OPTIMIZE_REUSE_RESULTS=FALSE";
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DataSourceProperties dataSource && dataSource.getUrl() == null) {
			dataSource.setUrl(h2Url(this.properties.getObject().dataDir()));
		}
		if (bean instanceof HikariDataSource pool && !this.environment.containsProperty(POOL_SIZE)) {
			FerryProperties run = this.properties.getObject();
			// the step's transaction, each API worker and transfer, and room for the rest
			pool.setMaximumPoolSize(run.apiConcurrency() + run.transferConcurrency() * run.segmentConcurrency() + 4);
		}
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
				&& pool.getJdbcUrl().startsWith("jdbc:postgresql:")
				&& !pool.getDataSourceProperties().containsKey(LOGIN_TIMEOUT)) {
			// Without it the driver waits for ever on a server that takes the connection
			// and never answers (hung, or behind a proxy): the pool's timeout does not
			// interrupt it. A loginTimeout in the URL still wins.
			pool.addDataSourceProperty(LOGIN_TIMEOUT,
					String.valueOf(Math.max(1, (pool.getConnectionTimeout() + 999) / 1000)));
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof TimedDataSource)) {
			return new TimedDataSource(dataSource, this.metrics.getObject().registry());
		}
		return bean;
	}

}

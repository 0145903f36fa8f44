package org.imageferry.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import org.imageferry.ImageFerryApplication;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's data directory made before Flyway — the ledger's tables, no migration
 * history — keeps working: the application baselines it below {@code V1}, whose
 * idempotent statements add what it lacks, and its rows stay; one made by a release with
 * fewer migrations gets the later ones, its images mid-run included.
 */
@ExtendWith(OutputCaptureExtension.class)
class LedgerMigrationFunctionalTests {

	@TempDir
	Path home;

	@Test
	void aDatabaseMadeByTheLastHandRunSchemaIsMigratedWithItsRows(CapturedOutput output) throws Exception {
		// given
		try (Connection db = open()) {
			ScriptUtils.executeSqlScript(db, new ClassPathResource("org/imageferry/ledger/schema-before-flyway.sql"));
			insertImage(db);
			try (Statement sql = db.createStatement()) {
				sql.execute("INSERT INTO FERRY_RUN_ITEM (JOB_INSTANCE_ID, LINE, SOURCE_IMAGE_ID, IMAGE_ROW_ID, "
						+ "DISPOSITION) SELECT 7, 2, SOURCE_IMAGE_ID, ID, 'MIGRATE' FROM FERRY_IMAGE");
			}
		}

		// when
		status(output);

		// then: its run items are one target's, and a line may now have several
		try (Connection db = open(); Statement sql = db.createStatement()) {
			assertThat(JdbcDatabase.rows(db,
					"SELECT \"version\", \"type\", \"success\" FROM \"flyway_schema_history\" "
							+ "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
				.containsExactly("0 BASELINE TRUE", "1 SQL TRUE", "2 SQL TRUE", "3 SQL TRUE", "4 SQL TRUE",
						"5 SQL TRUE");
			assertThat(JdbcDatabase.rows(db, "SELECT SOURCE_IMAGE_ID, STATE FROM FERRY_IMAGE"))
				.containsExactly("image-1 MIGRATED");
			assertThat(JdbcDatabase.rows(db,
					"SELECT JOB_INSTANCE_ID, LINE, '[' || TARGET || ']', SOURCE_IMAGE_ID FROM FERRY_RUN_ITEM"))
				.containsExactly("7 2 [] image-1");
			sql.execute("INSERT INTO FERRY_RUN_ITEM (JOB_INSTANCE_ID, LINE, TARGET, SOURCE_IMAGE_ID, DISPOSITION) "
					+ "VALUES (7, 2, 'ord', 'image-1', 'MIGRATE')");
			assertThat(
					JdbcDatabase.rows(db, "SELECT COUNT(*) FROM FERRY_RUN_ITEM WHERE JOB_INSTANCE_ID = 7 AND LINE = 2"))
				.containsExactly("2");
		}
	}

	@Test
	void aDatabaseLeftMidRunAtTheFirstMigrationGetsTheSizeRankOfItsReadyImages(CapturedOutput output) throws Exception {
		// given: a data directory the release with V1 alone made, stopped with one image
		// migrated and two ready
		try (Connection db = open(); Statement sql = db.createStatement()) {
			Flyway.configure()
				.dataSource("jdbc:h2:file:" + this.home.resolve("data/image-ferry").toAbsolutePath(), "sa", "")
				.target("1")
				.load()
				.migrate();
			insertImage(db);
			sql.execute("INSERT INTO FERRY_IMAGE (ROUTE, SOURCE_IMAGE_ID, STATE, SOURCE_SIZE, UPDATED_AT) VALUES "
					+ "('DFW:alice>IAD:alice', 'image-2', 'READY', 300, CURRENT_TIMESTAMP), "
					+ "('DFW:alice>IAD:alice', 'image-3', 'READY', 700, CURRENT_TIMESTAMP)");
		}

		// when
		status(output);

		// then: ranked as the release that set the rank would have
		try (Connection db = open()) {
			assertThat(JdbcDatabase.rows(db,
					"SELECT \"version\", \"type\", \"success\" FROM \"flyway_schema_history\" "
							+ "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
				.containsExactly("1 SQL TRUE", "2 SQL TRUE", "3 SQL TRUE", "4 SQL TRUE", "5 SQL TRUE");
			assertThat(JdbcDatabase.rows(db,
					"SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'FERRY_IMAGE' "
							+ "AND INDEX_NAME = 'FERRY_IMAGE_BY_READY_SIZE'"))
				.containsExactly("FERRY_IMAGE_BY_READY_SIZE");
			assertThat(JdbcDatabase.rows(db, "SELECT SOURCE_IMAGE_ID, STATE, READY_SIZE FROM FERRY_IMAGE ORDER BY ID"))
				.containsExactly("image-1 MIGRATED null", "image-2 READY 300", "image-3 READY 700");
		}
	}

	@Test
	void aDatabaseMadeByTheFirstHandRunSchemaGetsTheLaterColumnsAndIndex(CapturedOutput output) throws Exception {
		// given: the schema before the properties-not-copied and leftovers columns, with
		// its first index
		try (Connection db = open(); Statement sql = db.createStatement()) {
			ScriptUtils.executeSqlScript(db, new ClassPathResource("org/imageferry/ledger/schema-before-flyway.sql"));
			sql.execute("ALTER TABLE FERRY_IMAGE DROP COLUMN PROPERTIES_NOT_COPIED");
			sql.execute("ALTER TABLE FERRY_IMAGE DROP COLUMN CLEANUP_LEFTOVERS");
			sql.execute("DROP INDEX FERRY_IMAGE_BY_STATE");
			sql.execute("CREATE INDEX FERRY_IMAGE_STATE ON FERRY_IMAGE (STATE)");
			insertImage(db);
		}

		// when
		status(output);

		// then
		try (Connection db = open()) {
			assertThat(JdbcDatabase.rows(db,
					"SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'FERRY_IMAGE' "
							+ "AND COLUMN_NAME IN ('PROPERTIES_NOT_COPIED', 'CLEANUP_LEFTOVERS') ORDER BY 1"))
				.containsExactly("CLEANUP_LEFTOVERS", "PROPERTIES_NOT_COPIED");
			assertThat(JdbcDatabase.rows(db,
					"SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'FERRY_IMAGE' "
							+ "AND INDEX_NAME LIKE 'FERRY_IMAGE_%STATE' ORDER BY 1"))
				.containsExactly("FERRY_IMAGE_BY_STATE");
			assertThat(JdbcDatabase.rows(db, "SELECT SOURCE_IMAGE_ID, STATE FROM FERRY_IMAGE"))
				.containsExactly("image-1 MIGRATED");
		}
	}

	/** {@code status} starts the application, and with it the migrations. */
	private void status(CapturedOutput output) throws Exception {
		Path job = JobProfile.write(this.home.resolve("job.yml"), "http://127.0.0.1:9/v2.0", this.home, """
				source: { region: DFW }
				target: { region: IAD }
				""");
		ImageFerryApplication.run("status", "--job", job.toString());
		assertThat(output.getErr()).doesNotContain("could not start");
	}

	private Connection open() throws SQLException {
		return DriverManager.getConnection("jdbc:h2:file:" + this.home.resolve("data/image-ferry").toAbsolutePath(),
				"sa", "");
	}

	private static void insertImage(Connection db) throws SQLException {
		try (Statement sql = db.createStatement()) {
			sql.execute("INSERT INTO FERRY_IMAGE (ROUTE, SOURCE_IMAGE_ID, STATE, UPDATED_AT) "
					+ "VALUES ('DFW:alice>IAD:alice', 'image-1', 'MIGRATED', CURRENT_TIMESTAMP)");
		}
	}

}

package org.imageferry.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import org.imageferry.manifest.Manifest;
import org.imageferry.manifest.ManifestEntry;
import org.imageferry.testsupport.JdbcDatabase;
import org.imageferry.testsupport.LedgerDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * When the ledger commits a pipeline cycle's writes: together at the cycle's end (and
 * only then can another connection — another process's {@code status} — see them), at
 * once when they must be on disk before the cycle acts on them or other threads must see
 * them, and also when the cycle throws. (On disk: {@link LedgerDurabilityTests}.)
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(LedgerDatabase.class)
class LedgerCommitsTests {

	@Parameter
	LedgerDatabase database;

	private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");

	private static final String A = "0b9f4c43-1d59-4e4c-9a2f-6d1e2f3a4b5c";

	private static final String B = "7d3c1a6e-5b2f-4e8d-9c1a-2b3c4d5e6f70";

	@TempDir
	Path dir;

	private JdbcDatabase db;

	private HikariDataSource dataSource;

	private Ledger ledger;

	private long a;

	private long b;

	@BeforeEach
	void open() {
		this.db = this.database.create(this.dir);
		this.dataSource = this.db.pool();
		this.ledger = new Ledger(this.dataSource, new DataSourceTransactionManager(this.dataSource),
				Clock.fixed(NOW, ZoneOffset.UTC));
		this.ledger.recordRun(
				1, "DFW:alice>IAD:alice", new Manifest("sha",
						List.of(new ManifestEntry(2, A, null), new ManifestEntry(3, B, null)), List.of(), List.of()),
				false);
		this.a = this.ledger.images(1, ImageState.PENDING).get(0).id();
		this.b = this.ledger.images(1, ImageState.PENDING).get(1).id();
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void aCyclesWritesAreSeenByItsOwnQuestionsAndByOthersOnlyWhenItEnds() {
		// given
		String[] duringCycle = new String[2];

		// when
		this.ledger.gathered(() -> {
			this.ledger.update(Transition.ready(this.a, "web", 10));
			duringCycle[0] = this.ledger.image(this.a).state().name();
			duringCycle[1] = stateSeenElsewhere(this.a);
			return null;
		});

		// then
		assertThat(duringCycle).containsExactly("READY", "PENDING");
		assertThat(stateSeenElsewhere(this.a)).isEqualTo("READY");
	}

	@Test
	void durableWritesAreCommittedAtOnceWithWhatTheCycleGatheredBefore() {
		// given
		String[] afterDurable = new String[2];

		// when
		this.ledger.gathered(() -> {
			this.ledger.update(Transition.ready(this.a, "web", 10));
			this.ledger.updateDurably(List.of(Transition.ready(this.b, "db", 20)));
			afterDurable[0] = stateSeenElsewhere(this.a);
			afterDurable[1] = stateSeenElsewhere(this.b);
			this.ledger.update(Transition.failed(this.a, "NOT_FOUND", "gone", NOW));
			return null;
		});

		// then
		assertThat(afterDurable).containsExactly("READY", "READY");
		assertThat(stateSeenElsewhere(this.a)).isEqualTo("FAILED");
	}

	@Test
	void visibleWritesAreCommittedAtOnceWithWhatTheCycleGatheredBefore() {
		// given
		String[] afterVisible = new String[2];

		// when
		this.ledger.gathered(() -> {
			this.ledger.update(Transition.ready(this.a, "web", 10));
			this.ledger.updateVisibly(List.of(Transition.ready(this.b, "db", 20)));
			afterVisible[0] = stateSeenElsewhere(this.a);
			afterVisible[1] = stateSeenElsewhere(this.b);
			return null;
		});

		// then
		assertThat(afterVisible).containsExactly("READY", "READY");
	}

	@Test
	void aCycleThatThrowsStillCommitsWhatItDecided() {
		// when
		assertThatIllegalStateException().isThrownBy(() -> this.ledger.gathered(() -> {
			this.ledger.update(Transition.ready(this.a, "web", 10));
			throw new IllegalStateException("the cloud is down");
		}));

		// then
		assertThat(stateSeenElsewhere(this.a)).isEqualTo("READY");
		assertThat(stateSeenElsewhere(this.b)).isEqualTo("PENDING");
	}

	@Test
	void outsideACycleEachWriteIsCommittedAtOnce() {
		// when
		this.ledger.update(Transition.ready(this.a, "web", 10));

		// then
		assertThat(stateSeenElsewhere(this.a)).isEqualTo("READY");
	}

	/** The row's state as a connection of its own reads it: what is committed. */
	private String stateSeenElsewhere(long rowId) {
		try (Connection other = this.db.connect();
				Statement statement = other.createStatement();
				ResultSet rs = statement.executeQuery("SELECT STATE FROM FERRY_IMAGE WHERE ID = " + rowId)) {
			rs.next();
			return rs.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

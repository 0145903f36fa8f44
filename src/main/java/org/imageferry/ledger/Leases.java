package org.imageferry.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Who copies which image when workers on several hosts share a run's copies: a worker
 * claims exported images with a lease ({@code LEASE_OWNER}, {@code LEASE_UNTIL} on the
 * image's row), renews it while it copies, and gives it up with the copy's end. A worker
 * that dies simply stops renewing: once its leases expire, another worker claims the
 * images and resumes each at its next segment ({@code SEGMENTS_DONE}). The claim reads
 * with {@code FOR UPDATE SKIP LOCKED}, so claimers running at the same moment pass each
 * other's rows by instead of waiting on them, and every write checks the lease again: two
 * workers never both hold a row, and one whose lease was taken over cannot record its
 * copy's end. Leases compare instants of the workers' clocks, so the hosts must keep time
 * (NTP): a lease of minutes tolerates seconds of skew.
 */
public class Leases {

	/** The states whose rows a worker may claim: exported, or a copy left half-way. */
	private static final String CLAIMABLE = "STATE IN ('EXPORTED', 'TRANSFERRING') "
			+ "AND (LEASE_UNTIL IS NULL OR LEASE_UNTIL < :now)";

	private final NamedParameterJdbcTemplate jdbc;

	private final Ledger ledger;

	private final Commits commits;

	private final Clock clock;

	public Leases(DataSource dataSource, PlatformTransactionManager transactionManager, Ledger ledger, Clock clock) {
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.ledger = ledger;
		// a lease is never flushed: one lost with its process has expired by the time
		// anyone would read it again
		this.commits = new Commits(transactionManager, () -> {
		});
		this.clock = clock;
	}

	/**
	 * Claims up to {@code limit} of the run's images that need a copy and whose lease is
	 * free or expired, oldest row first, for {@code worker} until {@code until}: each is
	 * moved to {@code TRANSFERRING} (its transfer start kept when it resumes) and named
	 * the worker's, in one transaction. Answers the rows claimed, as they now read.
	 */
	public List<ImageRecord> claim(long run, String worker, int limit, Instant until) {
		List<Long> claimed = new ArrayList<>();
		this.commits.now(() -> {
			MapSqlParameterSource parameters = new MapSqlParameterSource("run", run).addValue("now", now())
				.addValue("limit", limit)
				.addValue("worker", worker)
				.addValue("until", at(until));
			List<Long> rows = this.jdbc.queryForList(
					"SELECT ID FROM FERRY_IMAGE WHERE " + CLAIMABLE
							+ " AND ID IN (SELECT IMAGE_ROW_ID FROM FERRY_RUN_ITEM WHERE JOB_INSTANCE_ID = :run "
							+ "AND DISPOSITION = 'MIGRATE') ORDER BY ID LIMIT :limit FOR UPDATE SKIP LOCKED",
					parameters, Long.class);
			for (Long row : rows) {
				// the condition again: a row another claimer committed meanwhile is not
				// ours
				int updated = this.jdbc.update("UPDATE FERRY_IMAGE SET STATE = 'TRANSFERRING', "
						+ "LEASE_OWNER = :worker, LEASE_UNTIL = :until, TRANSFER_WORKER = :worker, "
						+ "TRANSFER_STARTED_AT = COALESCE(TRANSFER_STARTED_AT, :now), UPDATED_AT = :now "
						+ "WHERE ID = :id AND " + CLAIMABLE, parameters.addValue("id", row));
				if (updated == 1) {
					claimed.add(row);
				}
			}
		});
		return claimed.stream().map(this.ledger::image).toList();
	}

	/**
	 * Extends {@code worker}'s leases of {@code rows} to {@code until}; answers the rows
	 * that are still the worker's (a lease that expired and was claimed by another is
	 * not).
	 */
	public List<Long> renew(String worker, Collection<Long> rows, Instant until) {
		if (rows.isEmpty()) {
			return List.of();
		}
		List<Long> held = new ArrayList<>();
		MapSqlParameterSource parameters = new MapSqlParameterSource("worker", worker).addValue("rows", rows)
			.addValue("until", at(until));
		this.commits.now(() -> {
			this.jdbc.update("UPDATE FERRY_IMAGE SET LEASE_UNTIL = :until WHERE ID IN (:rows) "
					+ "AND LEASE_OWNER = :worker AND STATE = 'TRANSFERRING'", parameters);
			held.addAll(this.jdbc.queryForList(
					"SELECT ID FROM FERRY_IMAGE WHERE ID IN (:rows) "
							+ "AND LEASE_OWNER = :worker AND STATE = 'TRANSFERRING' ORDER BY ID",
					parameters, Long.class));
		});
		return held;
	}

	/**
	 * Records a copy's end ({@link Transition#transferred} or {@link Transition#failed})
	 * and gives up its lease, in one commit — only while the lease is still
	 * {@code worker}'s: answers false, recording nothing, when another worker took the
	 * image over.
	 */
	public boolean end(String worker, Transition end) {
		boolean[] held = new boolean[1];
		this.commits.now(() -> {
			held[0] = drop(worker, end.rowId());
			if (held[0]) {
				this.ledger.updateInTransaction(end);
			}
		});
		return held[0];
	}

	/**
	 * Gives up {@code worker}'s lease of one row without an end (a copy stopped at a
	 * segment's end, or failed for the infrastructure): the image stays
	 * {@code TRANSFERRING}, free for the next claim.
	 */
	public void release(String worker, long row) {
		this.commits.now(() -> drop(worker, row));
	}

	private boolean drop(String worker, long row) {
		return this.jdbc.update(
				"UPDATE FERRY_IMAGE SET LEASE_OWNER = NULL, LEASE_UNTIL = NULL "
						+ "WHERE ID = :id AND LEASE_OWNER = :worker",
				new MapSqlParameterSource("id", row).addValue("worker", worker)) == 1;
	}

	/** Gives up every lease {@code worker} holds (a clean stop); answers how many. */
	public int releaseAll(String worker) {
		int[] released = new int[1];
		this.commits.now(() -> released[0] = this.jdbc.update(
				"UPDATE FERRY_IMAGE SET LEASE_OWNER = NULL, LEASE_UNTIL = NULL WHERE LEASE_OWNER = :worker",
				new MapSqlParameterSource("worker", worker)));
		return released[0];
	}

	/**
	 * The run's rows whose lease is held now (not expired), with their holder: what
	 * status shows, and what a clean end leaves none of.
	 */
	public List<Lease> held(long run) {
		return this.jdbc.query(
				"SELECT ID, LEASE_OWNER, LEASE_UNTIL FROM FERRY_IMAGE WHERE LEASE_OWNER IS NOT NULL "
						+ "AND LEASE_UNTIL >= :now AND ID IN (SELECT IMAGE_ROW_ID FROM FERRY_RUN_ITEM "
						+ "WHERE JOB_INSTANCE_ID = :run) ORDER BY ID",
				new MapSqlParameterSource("run", run).addValue("now", now()), (rs, n) -> new Lease(rs.getLong("ID"),
						rs.getString("LEASE_OWNER"), rs.getObject("LEASE_UNTIL", OffsetDateTime.class).toInstant()));
	}

	/** A lease on a row: its holder and until when. */
	public record Lease(long row, String worker, Instant until) {
	}

	private OffsetDateTime now() {
		return at(this.clock.instant());
	}

	private static OffsetDateTime at(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}

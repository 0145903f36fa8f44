package org.imageferry.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The columns of {@code FERRY_IMAGE}, the one list of them in the code (the DDL is in the
 * schema): the SELECT list, what starting an image over clears, and the row mapper are
 * derived from it, and {@link Transition}s name what they set with it. No column name
 * leaves the ledger package.
 */
enum Column {

	ID(Part.IDENTITY), ROUTE(Part.IDENTITY), SOURCE_IMAGE_ID(Part.IDENTITY), SOURCE_NAME(Part.KEPT),
	TARGET_NAME(Part.KEPT), STATE(Part.KEPT), SOURCE_SIZE(Part.KEPT), EXPORT_TASK_ID(Part.PROGRESS),
	EXPORT_REQUESTED_AT(Part.PROGRESS), EXPORT_LOCATION(Part.PROGRESS), IMPORT_TASK_ID(Part.PROGRESS),
	IMPORT_REQUESTED_AT(Part.PROGRESS), TARGET_IMAGE_ID(Part.PROGRESS), SEGMENTS(Part.PROGRESS),
	SEGMENTS_DONE(Part.PROGRESS), BYTES_MOVED(Part.PROGRESS), FAILURE_CODE(Part.PROGRESS),
	FAILURE_MESSAGE(Part.PROGRESS), EXPORT_STARTED_AT(Part.PROGRESS), EXPORT_ENDED_AT(Part.PROGRESS),
	TRANSFER_STARTED_AT(Part.PROGRESS), TRANSFER_ENDED_AT(Part.PROGRESS), IMPORT_STARTED_AT(Part.PROGRESS),
	IMPORT_ENDED_AT(Part.PROGRESS), FINISHED_AT(Part.PROGRESS), PROPERTIES_NOT_COPIED(Part.PROGRESS),
	CLEANUP_LEFTOVERS(Part.PROGRESS),
	/**
	 * The image's size while it is {@link ImageState#READY}, NULL otherwise: what
	 * largest-first export starts are read by ({@code FERRY_IMAGE_BY_READY_SIZE}). A
	 * column of its own so that its index changes twice per image, when the image becomes
	 * ready and when it leaves, not with each of its states; {@link Ledger} keeps it with
	 * the state, no transition names it.
	 */
	READY_SIZE(Part.RANK),
	/**
	 * The worker holding the image's copy, and until when ({@link Leases}): an expired
	 * lease is free to take. Neither is read into an {@link ImageRecord}.
	 */
	LEASE_OWNER(Part.LEASE), LEASE_UNTIL(Part.LEASE),
	/**
	 * The worker that moved the image (set when it claims the copy, kept after it), read
	 * into {@link ImageRecord#transferWorker()} for status, the reports and metrics; what
	 * the migration recorded on its way, so cleared when the image starts over.
	 */
	TRANSFER_WORKER(Part.PROGRESS),
	/** When the row last changed: written with every change, never read into a record. */
	UPDATED_AT(Part.STAMP);

	/**
	 * What a column is to an image's row, and so what starting the image over does to it.
	 */
	private enum Part {

		/** Which image on which route: never changes. */
		IDENTITY,
		/**
		 * Kept when an image starts over: its state and name are set anew, what
		 * pre-flight learned is learned again.
		 */
		KEPT,
		/** What a migration recorded on its way: cleared when the image starts over. */
		PROGRESS,
		/**
		 * An order the ledger reads waiting images in, derived from the state: not part
		 * of an {@link ImageRecord}, cleared when the image starts over.
		 */
		RANK,
		/**
		 * Who holds the image's copy now when workers share the copies: not part of an
		 * {@link ImageRecord}, cleared when the image starts over.
		 */
		LEASE,
		/** Bookkeeping, not part of an {@link ImageRecord}. */
		STAMP

	}

	private final Part part;

	Column(Part part) {
		this.part = part;
	}

	/**
	 * The columns an {@link ImageRecord} is read from, each prefixed with {@code alias}.
	 */
	static String selectList(String alias) {
		return Arrays.stream(values())
			.filter((c) -> c.part != Part.STAMP && c.part != Part.RANK && c.part != Part.LEASE)
			.map((c) -> alias + c.name())
			.collect(Collectors.joining(", "));
	}

	/**
	 * {@code C = NULL, …} for every column a migration records on its way, the ranks (an
	 * image started over is not ready yet) and the leases.
	 */
	static String clearProgress() {
		return Arrays.stream(values())
			.filter((c) -> c.part == Part.PROGRESS || c.part == Part.RANK || c.part == Part.LEASE)
			.map((c) -> c.name() + " = NULL")
			.collect(Collectors.joining(", "));
	}

	String text(ResultSet rs) throws SQLException {
		return rs.getString(name());
	}

	Long number(ResultSet rs) throws SQLException {
		return rs.getObject(name(), Long.class);
	}

	Integer count(ResultSet rs) throws SQLException {
		return rs.getObject(name(), Integer.class);
	}

	Instant instant(ResultSet rs) throws SQLException {
		OffsetDateTime value = rs.getObject(name(), OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}

package org.imageferry.ledger;

/**
 * A manifest line of one run, for one of its targets, and what became of it: migrated by
 * this run ({@code MIGRATE}, with its image's ledger row for that target), skipped
 * because an earlier run migrated it there ({@code ALREADY_MIGRATED}), or refused
 * ({@code INVALID}, with the problem: one item for the line, whatever the targets).
 *
 * @param target the target's name in the profile; empty for an invalid line and for runs
 * recorded before runs had several targets
 */
public record RunItem(int line, String target, String sourceImageId, Disposition disposition, String problem,
		ImageRecord image) {

	public RunItem {
		target = (target != null) ? target : "";
	}

	/** A line of a run with one target, named by its route alone. */
	public RunItem(int line, String sourceImageId, Disposition disposition, String problem, ImageRecord image) {
		this(line, "", sourceImageId, disposition, problem, image);
	}

	public enum Disposition {

		MIGRATE, ALREADY_MIGRATED, INVALID

	}

}

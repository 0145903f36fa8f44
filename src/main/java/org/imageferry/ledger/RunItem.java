package org.imageferry.ledger;

/**
 * A manifest line of one run and what became of it: migrated by this run
 * ({@code MIGRATE}, with its image's ledger row), skipped because an earlier run migrated
 * it ({@code ALREADY_MIGRATED}), or refused ({@code INVALID}, with the problem).
 */
public record RunItem(int line, String sourceImageId, Disposition disposition, String problem, ImageRecord image) {

	public enum Disposition {

		MIGRATE, ALREADY_MIGRATED, INVALID

	}

}

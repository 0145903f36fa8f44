package org.imageferry.report;

import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.RunItem;

/**
 * What a manifest line came to, in words an operator reads in a table.
 */
public enum Outcome {

	MIGRATED("migrated"), ALREADY_MIGRATED("already migrated"), FAILED("failed"), INVALID("invalid line"),
	IN_PROGRESS("in progress");

	private final String label;

	Outcome(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	public static Outcome of(RunItem item) {
		return switch (item.disposition()) {
			case INVALID -> INVALID;
			case ALREADY_MIGRATED -> ALREADY_MIGRATED;
			case MIGRATE -> (item.image().state() == ImageState.MIGRATED) ? MIGRATED
					: (item.image().state() == ImageState.FAILED) ? FAILED : IN_PROGRESS;
		};
	}

	public boolean failed() {
		return this == FAILED || this == INVALID;
	}

}

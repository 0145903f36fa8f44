package org.imageferry.cloud;

import java.util.List;

/**
 * What {@link SwiftClient#deleteAll} could not delete: a clean-up is not an error the run
 * stops for, so its caller gets the objects still there and why, to record and try again
 * later.
 *
 * @param left the objects not deleted (refused, or not tried once the container kept
 * failing), in the order given
 * @param reason the first failure's message, or null when nothing is left
 */
public record Deletion(List<String> left, String reason) {

	public static final Deletion COMPLETE = new Deletion(List.of(), null);

	public Deletion {
		left = List.copyOf(left);
	}

	public boolean complete() {
		return this.left.isEmpty();
	}

}

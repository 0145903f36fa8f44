package org.imageferry.ledger;

/**
 * One target of a run as the ledger records it: its name from the profile (what status,
 * the reports and the metrics show, e.g. {@code iad}) and its route, the key of its rows
 * in {@code FERRY_IMAGE} (e.g. {@code DFW:alice>IAD:alice}). A run with several targets
 * has a run item and a row per manifest line and target; one target is the same with a
 * list of one.
 */
public record RunTarget(String name, String route) {

	public RunTarget {
		name = (name != null) ? name : "";
	}

}

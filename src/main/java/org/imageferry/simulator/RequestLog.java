package org.imageferry.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests a simulated cloud answered, oldest first, bounded so a long benchmark
 * cannot exhaust memory.
 */
final class RequestLog {

	private static final int MAX = 1_000_000;

	private final List<Inspection.RequestView> requests = new ArrayList<>();

	private long dropped;

	synchronized void add(Inspection.RequestView request) {
		if (this.requests.size() >= MAX) {
			this.dropped++;
			return;
		}
		this.requests.add(request);
	}

	synchronized List<Inspection.RequestView> all() {
		return List.copyOf(this.requests);
	}

	synchronized long dropped() {
		return this.dropped;
	}

}

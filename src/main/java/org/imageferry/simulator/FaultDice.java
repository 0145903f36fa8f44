package org.imageferry.simulator;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Draws the injected faults from one seeded generator, so a run under a given
 * {@link Faults} misbehaves the same way each time requests arrive in the same order.
 */
final class FaultDice {

	private final Supplier<Faults> faults;

	private Random random;

	private long seed;

	FaultDice(Supplier<Faults> faults) {
		this.faults = faults;
	}

	private synchronized double draw(Faults current) {
		if (this.random == null || this.seed != current.seed()) {
			this.seed = current.seed();
			this.random = new Random(this.seed);
		}
		return this.random.nextDouble();
	}

	/**
	 * @return the error to answer instead of serving the request, or null
	 */
	ApiError failure() {
		Faults current = this.faults.get();
		if (current.serviceUnavailableRate() <= 0 && current.serverErrorRate() <= 0) {
			return null;
		}
		double x = draw(current);
		if (x < current.serviceUnavailableRate()) {
			return new ApiError(503, "Service Unavailable (injected)", Long.toString(current.retryAfter().toSeconds()));
		}
		if (x < current.serviceUnavailableRate() + current.serverErrorRate()) {
			return new ApiError(500, "Internal Server Error (injected)");
		}
		return null;
	}

	/**
	 * @return whether to cut this object transfer's connection mid-body
	 */
	boolean drop() {
		Faults current = this.faults.get();
		return current.dropRate() > 0 && draw(current) < current.dropRate();
	}

}

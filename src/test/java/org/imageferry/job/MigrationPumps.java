package org.imageferry.job;

import io.micrometer.core.instrument.MeterRegistry;

import org.imageferry.ledger.Ledger;
import org.imageferry.transfer.SegmentCopier;

/**
 * Builds a {@link MigrationPump} as the {@code migrate} step's configuration does, for
 * the tests' {@code HeartRig}: the pump and its {@link Pipeline} are package-private
 * (only this package assembles them), and the rig, used from several packages, lives in
 * {@code testsupport}.
 */
public final class MigrationPumps {

	private MigrationPumps() {
	}

	public static MigrationPump of(Ledger ledger, MigrationRoute route, FerryProperties properties, long run,
			SegmentCopier copier, MeterRegistry meters) {
		return of(ledger, route, properties, run, copier, meters, Deadline.NONE);
	}

	/** A pump whose run stops at {@code deadline}. */
	public static MigrationPump of(Ledger ledger, MigrationRoute route, FerryProperties properties, long run,
			SegmentCopier copier, MeterRegistry meters, Deadline deadline) {
		return new MigrationPump(ledger, run, Pipeline.of(ledger, route, properties, run, copier, meters), deadline);
	}

}

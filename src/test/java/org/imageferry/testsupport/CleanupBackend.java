package org.imageferry.testsupport;

import org.imageferry.simulator.Rules;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.realswift.RealSwift;
import org.imageferry.testsupport.realswift.RealSwiftBackend;

/**
 * Where the clean-up tests run: each {@link Backend} with and without Swift's bulk delete
 * middleware — the simulated cloud also limiting each container to Cloud Files' 100
 * writes a second (answered 429 beyond it), the real Swift through its second proxy,
 * which lacks the middleware. A test class runs on all four with
 * {@code @ParameterizedClass @EnumSource(CleanupBackend.class)}.
 */
public enum CleanupBackend {

	SIMULATED_BULK("simulated Cloud Files, bulk delete, 100 writes/s") {
		@Override
		public SwiftBackend open(long segmentSize) throws Exception {
			return new SimulatedSwift(SimulatorConfig.builder().segmentSize(segmentSize).rules(rules(true)));
		}
	},

	SIMULATED_WITHOUT_BULK("simulated Cloud Files, no bulk delete, 100 writes/s") {
		@Override
		public SwiftBackend open(long segmentSize) throws Exception {
			return new SimulatedSwift(SimulatorConfig.builder().segmentSize(segmentSize).rules(rules(false)));
		}
	},

	REAL_BULK("real Swift, bulk delete") {
		@Override
		public SwiftBackend open(long segmentSize) {
			return new RealSwiftBackend(RealSwift.shared(), segmentSize, true);
		}
	},

	REAL_WITHOUT_BULK("real Swift, no bulk delete") {
		@Override
		public SwiftBackend open(long segmentSize) {
			return new RealSwiftBackend(RealSwift.shared(), segmentSize, false);
		}
	};

	/** Cloud Files' documented limit of writes per second and container. */
	public static final int WRITES_PER_SECOND = 100;

	private final String title;

	CleanupBackend(String title) {
		this.title = title;
	}

	public abstract SwiftBackend open(long segmentSize) throws Exception;

	/** Whether the backend offers bulk delete. */
	public boolean bulkDelete() {
		return this == SIMULATED_BULK || this == REAL_BULK;
	}

	private static Rules rules(boolean bulkDelete) {
		return Rules.builder().bulkDelete(bulkDelete).containerWritesPerSecond(WRITES_PER_SECOND).build();
	}

	@Override
	public String toString() {
		return this.title;
	}

}

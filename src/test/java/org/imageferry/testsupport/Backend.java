package org.imageferry.testsupport;

import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.realswift.RealSwift;
import org.imageferry.testsupport.realswift.RealSwiftBackend;

/**
 * Where the data-path tests run: the simulated cloud, started for each test, or the real
 * Swift of this JVM ({@link RealSwift}), with fresh containers for each test. A test
 * class runs on both with {@code @ParameterizedClass @EnumSource(Backend.class)}.
 */
public enum Backend {

	SIMULATED("simulated Cloud Files") {
		@Override
		public SwiftBackend open(long segmentSize) throws Exception {
			return new SimulatedSwift(SimulatorConfig.builder().segmentSize(segmentSize));
		}
	},

	REAL("real Swift") {
		@Override
		public SwiftBackend open(long segmentSize) {
			return new RealSwiftBackend(RealSwift.shared(), segmentSize);
		}
	};

	private final String title;

	Backend(String title) {
		this.title = title;
	}

	/**
	 * @param segmentSize the size of an export's segments ({@link SwiftBackend#export})
	 */
	public abstract SwiftBackend open(long segmentSize) throws Exception;

	@Override
	public String toString() {
		return this.title;
	}

}

package org.imageferry.report;

import java.time.Instant;
import java.util.List;

import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.RunItem;
import org.imageferry.ledger.RunItem.Disposition;

/**
 * A synthetic run for the report tests: two migrated images (one with a hostile name),
 * one failed in its import, one failed in its transfer, one refused by pre-flight, an
 * invalid manifest line and an image an earlier run migrated; in one execution, or
 * {@link #RESTARTED stopped and restarted}.
 */
final class ReportFixtures {

	static final Instant T0 = Instant.parse("2025-03-01T02:00:00Z");

	static final String HOSTILE_NAME = "<script>alert('x')</script>";

	static final String WEB = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa001";

	static final String DB = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa002";

	static final String APP = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa003";

	static final String CACHE = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa004";

	static final String WIN = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa005";

	static final String WARNED = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa009";

	static final String OLD = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa007";

	static final String LEFT = "6f2a9c1e-3b7d-4e8a-9f01-2c4d6e8fa009";

	static final String FORMULA_ID = "=HYPERLINK(\"http://evil.example\",\"click\")";

	static final String IMPORT_FAILURE = "396: The VHD's footer says \"dynamic\", but its header is missing, "
			+ "so the import task failed";

	static final RunSummary RUN = new RunSummary(7, 12, "COMPLETED", "DFW:alice->IAD:alice",
			"sample-manifests/demo.csv", "jobs/demo.yml", T0.minusSeconds(3), T0.plusSeconds(662));

	/**
	 * {@link #RUN} stopped 218 s after it started and restarted 69 s later: execution 11
	 * ended {@code STOPPED} at T0 + 215 s, execution 12 started at T0 + 284 s. Its
	 * {@link #items()}' transfers of lines 2 and 3 and the import of line 4 span the
	 * pause.
	 */
	static final RunSummary RESTARTED = new RunSummary(7, 12, "COMPLETED", RUN.route(), RUN.manifest(), RUN.profile(),
			List.of(new RunSummary.Execution(11, "STOPPED", T0.minusSeconds(3), T0.plusSeconds(215)),
					new RunSummary.Execution(12, "COMPLETED", T0.plusSeconds(284), T0.plusSeconds(662))));

	private ReportFixtures() {
	}

	static List<RunItem> items() {
		return List.of(
				item(2, image(WEB, "web-01-iad", ImageState.MIGRATED, "a1000000-0000-4000-8000-000000000001",
						4_294_967_296L, null, null, 0, 120, 120, 300, 300, 420, 430)),
				item(3, image(DB, HOSTILE_NAME, ImageState.MIGRATED, "a1000000-0000-4000-8000-000000000002",
						10_737_418_240L, null, null, 5, 200, 200, 500, 500, 640, 650)),
				item(4, image(APP, "app-01", ImageState.FAILED, null, 2_147_483_648L, "396", IMPORT_FAILURE, 10, 90, 90,
						200, 200, null, 260)),
				item(5, image(CACHE, "cache-01", ImageState.FAILED, null, 536_870_912L, "TRANSFER",
						"segment 3: MD5 mismatch, 5 retries", 15, 110, 110, null, null, null, 150)),
				item(6, image(WIN, "win-2019", ImageState.FAILED, null, null, "NOT_EXPORTABLE",
						"Windows images cannot be exported", null, null, null, null, null, null, -1)),
				new RunItem(7, FORMULA_ID, Disposition.INVALID, "not an image id (expected a UUID)", null),
				new RunItem(8, OLD, Disposition.ALREADY_MIGRATED, null, null));
	}

	/**
	 * An image migrated with a warning: its target refused two of its properties.
	 */
	static RunItem migratedWithWarning() {
		return item(9,
				new ImageRecord(1, RUN.route(), WARNED, "warned", null, ImageState.MIGRATED, 1_048_576L, null, null,
						null, null, null, "a1000000-0000-4000-8000-000000000009", null, null, 1_048_576L, null, null,
						at(0), at(120), at(120), at(300), at(300), at(420), at(430),
						List.of("notes", "org.openstack__1__os_distro"), List.of()));
	}

	/**
	 * The fixture's items as a run with workers moved them: the migrated images by
	 * {@code w-a}, the rest by {@code w-b}; lines never copied name no worker.
	 */
	static List<RunItem> itemsMovedByWorkers() {
		return items().stream().map((item) -> {
			ImageRecord i = item.image();
			if (i == null || i.transferStartedAt() == null) {
				return item;
			}
			String worker = (i.state() == ImageState.MIGRATED) ? "w-a" : "w-b";
			return new RunItem(item.line(), item.target(), item.sourceImageId(), item.disposition(), item.problem(),
					new ImageRecord(i.id(), i.route(), i.sourceImageId(), i.sourceName(), i.targetName(), i.state(),
							i.sourceSize(), i.exportTaskId(), i.exportRequestedAt(), i.exportLocation(),
							i.importTaskId(), i.importRequestedAt(), i.targetImageId(), i.segments(), i.segmentsDone(),
							i.bytesMoved(), i.failureCode(), i.failureMessage(), i.exportStartedAt(), i.exportEndedAt(),
							i.transferStartedAt(), i.transferEndedAt(), i.importStartedAt(), i.importEndedAt(),
							i.finishedAt(), i.propertiesNotCopied(), i.leftovers(), worker));
		}).toList();
	}

	static RunItem item(int line, ImageRecord image) {
		return new RunItem(line, image.sourceImageId(), Disposition.MIGRATE, null, image);
	}

	/**
	 * @param seconds after {@link #T0}, each {@code null} if not reached: export start
	 * and end, transfer start and end, import start and end, finished
	 */
	static ImageRecord image(String id, String name, ImageState state, String targetId, Long bytes, String code,
			String message, Integer... seconds) {
		return new ImageRecord(1, RUN.route(), id, name, null, state, bytes, null, null, null, null, null, targetId,
				null, null, bytes, code, message, at(seconds[0]), at(seconds[1]), at(seconds[2]), at(seconds[3]),
				at(seconds[4]), at(seconds[5]), at(seconds[6]), List.of(), List.of());
	}

	/**
	 * An image migrated at {@link #T0} whose clean-up left {@code leftovers} behind.
	 */
	static RunItem leftBehind(int line, String id, Leftover... leftovers) {
		return item(line,
				new ImageRecord(1, RUN.route(), id, "left-" + line, null, ImageState.MIGRATED, 1024L, null, null, null,
						null, null, "a1000000-0000-4000-8000-%012d".formatted(line), null, null, 1024L, null, null, T0,
						T0, T0, T0, T0, T0, T0, List.of(), List.of(leftovers)));
	}

	static Instant at(Integer seconds) {
		return (seconds != null) ? T0.plusSeconds(seconds) : null;
	}

}

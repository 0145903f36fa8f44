package org.imageferry.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One image's row in the ledger.
 *
 * @param propertiesNotCopied the source's properties the target refused, for a migrated
 * image's warning; empty when every one was copied
 * @param leftovers exported objects a migrated image's clean-up left behind, for a later
 * run to delete
 * @param transferWorker the worker that moved the image ({@code host:pid/slot}), for
 * status and the reports to say which host's link carried it; null when the run's own
 * process copied it (no workers), or nothing copied it yet
 */
public record ImageRecord(long id, String route, String sourceImageId, String sourceName, String targetName,
		ImageState state, Long sourceSize, String exportTaskId, Instant exportRequestedAt, String exportLocation,
		String importTaskId, Instant importRequestedAt, String targetImageId, Integer segments, Integer segmentsDone,
		Long bytesMoved, String failureCode, String failureMessage, Instant exportStartedAt, Instant exportEndedAt,
		Instant transferStartedAt, Instant transferEndedAt, Instant importStartedAt, Instant importEndedAt,
		Instant finishedAt, List<String> propertiesNotCopied, List<Leftover> leftovers, String transferWorker) {

	public ImageRecord {
		propertiesNotCopied = (propertiesNotCopied != null) ? List.copyOf(propertiesNotCopied) : List.of();
		leftovers = (leftovers != null) ? List.copyOf(leftovers) : List.of();
	}

	/**
	 * A row no worker copied: a run without workers, which is most runs and most of the
	 * code's and tests' rows.
	 */
	public ImageRecord(long id, String route, String sourceImageId, String sourceName, String targetName,
			ImageState state, Long sourceSize, String exportTaskId, Instant exportRequestedAt, String exportLocation,
			String importTaskId, Instant importRequestedAt, String targetImageId, Integer segments,
			Integer segmentsDone, Long bytesMoved, String failureCode, String failureMessage, Instant exportStartedAt,
			Instant exportEndedAt, Instant transferStartedAt, Instant transferEndedAt, Instant importStartedAt,
			Instant importEndedAt, Instant finishedAt, List<String> propertiesNotCopied, List<Leftover> leftovers) {
		this(id, route, sourceImageId, sourceName, targetName, state, sourceSize, exportTaskId, exportRequestedAt,
				exportLocation, importTaskId, importRequestedAt, targetImageId, segments, segmentsDone, bytesMoved,
				failureCode, failureMessage, exportStartedAt, exportEndedAt, transferStartedAt, transferEndedAt,
				importStartedAt, importEndedAt, finishedAt, propertiesNotCopied, leftovers, null);
	}

	/**
	 * The name the imported image gets: the manifest's target name, else the source
	 * image's name.
	 */
	public String importName() {
		return (this.targetName != null) ? this.targetName : this.sourceName;
	}

}

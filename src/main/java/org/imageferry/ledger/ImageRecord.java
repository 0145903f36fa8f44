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
 */
public record ImageRecord(long id, String route, String sourceImageId, String sourceName, String targetName,
		ImageState state, Long sourceSize, String exportTaskId, Instant exportRequestedAt, String exportLocation,
		String importTaskId, Instant importRequestedAt, String targetImageId, Integer segments, Integer segmentsDone,
		Long bytesMoved, String failureCode, String failureMessage, Instant exportStartedAt, Instant exportEndedAt,
		Instant transferStartedAt, Instant transferEndedAt, Instant importStartedAt, Instant importEndedAt,
		Instant finishedAt, List<String> propertiesNotCopied, List<Leftover> leftovers) {

	public ImageRecord {
		propertiesNotCopied = (propertiesNotCopied != null) ? List.copyOf(propertiesNotCopied) : List.of();
		leftovers = (leftovers != null) ? List.copyOf(leftovers) : List.of();
	}

	/**
	 * The name the imported image gets: the manifest's target name, else the source
	 * image's name.
	 */
	public String importName() {
		return (this.targetName != null) ? this.targetName : this.sourceName;
	}

}

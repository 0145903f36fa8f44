package org.imageferry.ingest;

import org.imageferry.await.TaskIntent;
import org.imageferry.await.TaskKind;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;

/**
 * Starts an image's import in the target region from the transferred object, named as the
 * manifest says (or as the source image is named).
 */
public final class ImportStarter {

	private final Ledger ledger;

	private final Side target;

	public ImportStarter(Ledger ledger, Side target) {
		this.ledger = ledger;
		this.target = target;
	}

	public TaskIntent.Started start(ImageRecord record) {
		return TaskIntent.start(this.ledger, record, TaskKind.IMPORT, () -> this.target.images()
			.createImport(this.target.location(record.sourceImageId()), record.importName()));
	}

}

package org.imageferry.ingest;

import java.util.List;

import org.imageferry.await.TaskIntent;
import org.imageferry.await.TaskStart;
import org.imageferry.await.TaskThrottle;
import org.imageferry.await.Workers;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;

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

	/**
	 * Starts the imports of a wave of images; answers, in the rows' order, what became of
	 * each. {@code throttle} paces the POSTs as the target region answers them.
	 */
	public List<TaskStart> startAll(List<ImageRecord> rows, Workers workers, TaskThrottle throttle) {
		return TaskIntent.startAll(this.ledger, rows, TaskKind.IMPORT,
				(row) -> new TaskStart.Created(
						this.target.images().createImport(this.target.location(row.sourceImageId()), row.importName())),
				workers, throttle);
	}

}

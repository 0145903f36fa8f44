package org.imageferry.export;

import java.util.List;

import org.imageferry.await.TaskIntent;
import org.imageferry.await.TaskStart;
import org.imageferry.await.TaskThrottle;
import org.imageferry.await.Workers;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * Starts an image's export in the source region. An export object already in the
 * container (left by an earlier run: Rackspace would refuse a second export there anyway)
 * is adopted instead of exported again.
 */
public final class ExportStarter {

	private final Ledger ledger;

	private final Side source;

	public ExportStarter(Ledger ledger, Side source) {
		this.ledger = ledger;
		this.source = source;
	}

	/**
	 * Starts the exports of a wave of images; answers, in the rows' order, what became of
	 * each. Each image's object is looked for first, in the same worker call as its POST.
	 * {@code throttle} paces the POSTs as the source region answers them.
	 */
	public List<TaskStart> startAll(List<ImageRecord> rows, Workers workers, TaskThrottle throttle) {
		return TaskIntent.startAll(this.ledger, rows, TaskKind.EXPORT, (row) -> {
			String id = row.sourceImageId();
			if (this.source.files().head(this.source.container(), this.source.objectName(id)).isPresent()) {
				return new TaskStart.Adopted(
						Transition.exported(row.id(), this.source.location(id), this.ledger.instant()));
			}
			return new TaskStart.Created(this.source.images().createExport(id, this.source.container()));
		}, workers, throttle);
	}

}

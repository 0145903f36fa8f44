package org.imageferry.export;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.imageferry.await.TaskIntent;
import org.imageferry.await.TaskKind;
import org.imageferry.await.Workers;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;

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
	 * each.
	 */
	public List<TaskIntent.Started> startAll(List<ImageRecord> rows, Workers workers) {
		List<Boolean> present = workers.each(rows,
				(row) -> this.source.files()
					.head(this.source.container(), this.source.objectName(row.sourceImageId()))
					.isPresent());
		List<Ledger.Change> adopted = new ArrayList<>();
		List<ImageRecord> toStart = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			String id = rows.get(i).sourceImageId();
			if (present.get(i)) {
				adopted.add(new Ledger.Change(rows.get(i).id(), ImageState.EXPORTED,
						Map.of("EXPORT_LOCATION", this.source.location(id), "EXPORT_STARTED_AT", this.ledger.now(),
								"EXPORT_ENDED_AT", this.ledger.now())));
			}
			else {
				toStart.add(rows.get(i));
			}
		}
		this.ledger.updateAll(adopted);
		Iterator<TaskIntent.Started> started = TaskIntent
			.startAll(this.ledger, toStart, TaskKind.EXPORT,
					(row) -> this.source.images().createExport(row.sourceImageId(), this.source.container()), workers)
			.iterator();
		return present.stream().map((p) -> p ? TaskIntent.Started.ADOPTED : started.next()).toList();
	}

}

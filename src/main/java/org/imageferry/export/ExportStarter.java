package org.imageferry.export;

import java.util.Map;

import org.imageferry.await.TaskIntent;
import org.imageferry.await.TaskKind;
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

	public TaskIntent.Started start(ImageRecord record) {
		String id = record.sourceImageId();
		if (this.source.files().head(this.source.container(), this.source.objectName(id)).isPresent()) {
			this.ledger.update(record.id(), ImageState.EXPORTED, Map.of("EXPORT_LOCATION", this.source.location(id),
					"EXPORT_STARTED_AT", this.ledger.now(), "EXPORT_ENDED_AT", this.ledger.now()));
			return TaskIntent.Started.ADOPTED;
		}
		return TaskIntent.start(this.ledger, record, TaskKind.EXPORT,
				() -> this.source.images().createExport(id, this.source.container()));
	}

}

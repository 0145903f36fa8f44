package org.imageferry.export;

import java.time.Instant;
import java.util.Optional;

import org.imageferry.await.TaskRules;
import org.imageferry.await.TaskStart;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * Exports in the source region. An export object already in the container (left by an
 * earlier run: Rackspace would refuse a second export there anyway) is adopted instead of
 * exported again, looked for in the same worker call as the POST; and an export whose
 * task can no longer be read continues from its object if the object is there. A
 * succeeded export's result is where the ferry asked it to write: its listing entry says
 * all.
 */
public final class ExportTasks implements TaskRules {

	private final Ledger ledger;

	private final Side source;

	public ExportTasks(Ledger ledger, Side source) {
		this.ledger = ledger;
		this.source = source;
	}

	@Override
	public TaskKind kind() {
		return TaskKind.EXPORT;
	}

	@Override
	public TaskStart start(ImageRecord row) {
		String id = row.sourceImageId();
		if (exportIsThere(row)) {
			return new TaskStart.Adopted(
					Transition.exported(row.id(), this.source.location(id), this.ledger.instant()));
		}
		return new TaskStart.Created(this.source.images().createExport(id, this.source.container()));
	}

	@Override
	public Object input(ImageRecord row) {
		return row.sourceImageId();
	}

	@Override
	public boolean listingShowsResult() {
		return true;
	}

	@Override
	public Transition succeeded(ImageRecord row, TaskInfo task, Instant now) {
		return Transition.exported(row.id(), this.source.location(row.sourceImageId()), now);
	}

	@Override
	public Optional<Transition> vanished(ImageRecord row, Instant now) {
		return exportIsThere(row) ? Optional.of(succeeded(row, null, now)) : Optional.empty();
	}

	private boolean exportIsThere(ImageRecord row) {
		return this.source.files()
			.head(this.source.container(), this.source.objectName(row.sourceImageId()))
			.isPresent();
	}

}

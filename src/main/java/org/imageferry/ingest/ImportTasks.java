package org.imageferry.ingest;

import java.time.Instant;
import java.util.Optional;

import org.imageferry.await.TaskRules;
import org.imageferry.await.TaskStart;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;

/**
 * Imports in the target region, from the transferred object, the image named as the
 * manifest says (or as the source image is named). The new image's id is only in the full
 * task, and an import whose task can no longer be read left nothing to continue from.
 */
public final class ImportTasks implements TaskRules {

	private final Side target;

	public ImportTasks(Side target) {
		this.target = target;
	}

	@Override
	public TaskKind kind() {
		return TaskKind.IMPORT;
	}

	@Override
	public TaskStart start(ImageRecord row) {
		return new TaskStart.Created(
				this.target.images().createImport(this.target.location(row.sourceImageId()), row.importName()));
	}

	@Override
	public Object input(ImageRecord row) {
		return this.target.location(row.sourceImageId());
	}

	@Override
	public boolean listingShowsResult() {
		return false;
	}

	@Override
	public Transition succeeded(ImageRecord row, TaskInfo task, Instant now) {
		String imageId = task.result().get("image_id");
		if (imageId == null) {
			return Transition.failed(row.id(), TaskKind.IMPORT.failureCode("NO_IMAGE"), "import task " + task.id()
					+ " succeeded without naming the new image (result: " + task.result() + ")", now);
		}
		return Transition.imported(row.id(), imageId, now);
	}

	@Override
	public Optional<Transition> vanished(ImageRecord row, Instant now) {
		return Optional.empty();
	}

}

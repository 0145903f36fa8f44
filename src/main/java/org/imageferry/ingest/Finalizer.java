package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openstack4j.openstack.image.v2.domain.PatchOperation.OperationType;

import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.Ledger;

/**
 * Finishes imported images: Rackspace's import takes only a name, so everything else is
 * copied from the source image with one JSON-patch {@code PATCH}: the provenance property
 * (from then on any later run recognises the image as migrated), tags, {@code min_disk},
 * {@code min_ram} and the extra properties. A patch is applied whole or not at all, so
 * when the target refuses it, the provenance is patched alone and the image fails with
 * {@code METADATA_REFUSED}. Then, as the clean-up policy says, the exported objects,
 * which only now are no longer needed, are deleted for the whole batch at once
 * ({@link ExportCleaner}); what the clean-up leaves is recorded with the migrated image,
 * never failing it.
 */
public final class Finalizer {

	private static final Logger log = LoggerFactory.getLogger(Finalizer.class);

	/**
	 * Properties that describe the source image's own history, not the image: not copied.
	 */
	private static final Set<String> NOT_COPIED = Set.of("image_type", "instance_uuid", "base_image_ref",
			"image_location", "image_state", "owner_id", "user_id", Provenance.PROPERTY);

	private final Ledger ledger;

	private final Side source;

	private final Side target;

	private final ExportCleaner cleaner;

	public Finalizer(Ledger ledger, Side source, Side target, Cleanup cleanup) {
		this.ledger = ledger;
		this.source = source;
		this.target = target;
		this.cleaner = new ExportCleaner(source, target, cleanup);
	}

	/**
	 * Finishes a batch of images, the API calls made by {@code workers}, and answers for
	 * each, in the rows' order, its new state as a {@link Ledger.Change} for the caller
	 * to record together, or the exception that stopped it (an outage: finished again in
	 * a later cycle). Finishing again after a crash is harmless: the same patch, and
	 * deletes of what is already gone.
	 */
	public List<Object> finishAll(List<ImageRecord> rows, Workers workers) {
		List<Object> outcomes = new ArrayList<>(workers.each(rows, (row) -> {
			try {
				return patch(row);
			}
			catch (RuntimeException ex) {
				return ex;
			}
		}));
		List<Integer> migrated = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			if (outcomes.get(i) instanceof Ledger.Change change && change.state() == ImageState.MIGRATED) {
				migrated.add(i);
			}
		}
		List<ImageRecord> toClean = migrated.stream().map(rows::get).toList();
		Map<Long, List<Leftover>> leftovers = this.cleaner.clean(toClean, workers);
		for (int i : migrated) {
			Ledger.Change change = (Ledger.Change) outcomes.get(i);
			outcomes.set(i,
					change.with(this.ledger.leftoverColumns(leftovers.getOrDefault(rows.get(i).id(), List.of()))));
		}
		return outcomes;
	}

	/** Copies the source's metadata and the provenance; answers the image's new state. */
	private Ledger.Change patch(ImageRecord record) {
		String targetId = record.targetImageId();
		PatchOperation provenance = new PatchOperation(OperationType.ADD, "/" + Provenance.PROPERTY,
				Provenance.value(this.source.region(), record.sourceImageId()));
		ImageInfo origin = this.source.images().image(record.sourceImageId()).orElse(null);
		if (origin == null) {
			log.warn("source image {} is gone from {}: {} keeps only its name and provenance", record.sourceImageId(),
					this.source.region(), targetId);
			this.target.images().patch(targetId, List.of(provenance));
			return migrated(record);
		}
		List<PatchOperation> operations = new ArrayList<>();
		operations.add(provenance);
		operations.addAll(metadata(origin));
		try {
			this.target.images().patch(targetId, operations);
		}
		catch (CloudException ex) {
			if (ex.retryable() || ex.unauthorized()) {
				throw ex;
			}
			this.target.images().patch(targetId, List.of(provenance));
			return new Ledger.Change(record.id(), ImageState.FAILED, this.ledger.failure("METADATA_REFUSED",
					"image " + targetId + " was imported but its metadata could not be copied: " + ex.getMessage()));
		}
		return migrated(record);
	}

	private Ledger.Change migrated(ImageRecord record) {
		return new Ledger.Change(record.id(), ImageState.MIGRATED, Map.of("FINISHED_AT", this.ledger.now()));
	}

	static List<PatchOperation> metadata(ImageInfo origin) {
		List<PatchOperation> operations = new ArrayList<>();
		operations.add(new PatchOperation(OperationType.REPLACE, "/tags", origin.tags()));
		operations.add(new PatchOperation(OperationType.REPLACE, "/min_disk", origin.minDisk()));
		operations.add(new PatchOperation(OperationType.REPLACE, "/min_ram", origin.minRam()));
		origin.properties()
			.entrySet()
			.stream()
			.filter((e) -> !e.getKey().startsWith("com.rackspace") && !NOT_COPIED.contains(e.getKey()))
			.sorted(Map.Entry.comparingByKey())
			.forEach((e) -> operations
				.add(new PatchOperation(OperationType.ADD, "/" + pointer(e.getKey()), e.getValue())));
		return operations;
	}

	private static String pointer(String key) {
		return key.replace("~", "~0").replace("/", "~1");
	}

}

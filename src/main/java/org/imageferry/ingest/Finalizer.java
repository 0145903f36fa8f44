package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openstack4j.openstack.image.v2.domain.PatchOperation.OperationType;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;

/**
 * Finishes an imported image: Rackspace's import takes only a name, so everything else is
 * copied from the source image with JSON-patch {@code PATCH}es — first the provenance
 * property alone (once it is there, any later run recognises the image as migrated), then
 * tags, {@code min_disk}, {@code min_ram} and the extra properties. Then, as the clean-up
 * policy says, deletes the exported objects, which only now are no longer needed.
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

	private final Cleanup cleanup;

	public Finalizer(Ledger ledger, Side source, Side target, Cleanup cleanup) {
		this.ledger = ledger;
		this.source = source;
		this.target = target;
		this.cleanup = cleanup;
	}

	/**
	 * Finishes one image and answers its new state, for the caller to record with the
	 * others finished alongside it (finishing again after a crash is harmless: the same
	 * PATCHes, and deletes of what is already gone).
	 */
	public Ledger.Change finish(ImageRecord record) {
		String targetId = record.targetImageId();
		this.target.images()
			.patch(targetId, List.of(new PatchOperation(OperationType.ADD, "/" + Provenance.PROPERTY,
					Provenance.value(this.source.region(), record.sourceImageId()))));
		ImageInfo origin = this.source.images().image(record.sourceImageId()).orElse(null);
		if (origin == null) {
			log.warn("source image {} is gone from {}: {} keeps only its name and provenance", record.sourceImageId(),
					this.source.region(), targetId);
		}
		else {
			try {
				this.target.images().patch(targetId, metadata(origin));
			}
			catch (CloudException ex) {
				if (ex.retryable() || ex.unauthorized()) {
					throw ex;
				}
				return new Ledger.Change(record.id(), ImageState.FAILED,
						this.ledger.failure("METADATA_REFUSED", "image " + targetId
								+ " was imported but its metadata could not be copied: " + ex.getMessage()));
			}
		}
		if (this.cleanup.source()) {
			deleteExport(this.source, record.sourceImageId());
		}
		if (this.cleanup.target()) {
			deleteExport(this.target, record.sourceImageId());
		}
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

	/**
	 * Deletes the manifest, then the segments: segments left without their manifest (a
	 * crash in between) are invisible, and the next attempt deletes them by prefix; a
	 * manifest whose segments were gone would read as a corrupt image.
	 */
	private static void deleteExport(Side side, String imageId) {
		String manifest = side.objectName(imageId);
		List<ObjectInfo> segments = side.files().list(side.container(), manifest + "-");
		side.files().delete(side.container(), manifest);
		for (ObjectInfo segment : segments) {
			side.files().delete(side.container(), segment.name());
		}
	}

}

package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;

/**
 * Finishes imported images: Rackspace's import takes only a name, so everything else is
 * copied from the source image ({@link MetadataCopy}: the provenance property, from then
 * on any later run recognises the image as migrated; tags, {@code min_disk},
 * {@code min_ram}, the properties and the profile's {@code set-properties}), with one
 * {@code PATCH} when the target accepts it all. Properties the target refuses are left
 * out and named in the image's warning: it is migrated all the same. Only a refused
 * provenance fails it, with {@code METADATA_REFUSED}: an operator must act, or the next
 * run would migrate it again. Then, as the clean-up policy says, the exported objects,
 * which only now are no longer needed, are deleted for the whole batch at once
 * ({@link ExportCleaner}); what the clean-up leaves is recorded with the migrated image,
 * never failing it.
 */
public final class Finalizer {

	private static final Logger log = LoggerFactory.getLogger(Finalizer.class);

	private final Ledger ledger;

	private final Side source;

	private final Side target;

	private final ExportCleaner cleaner;

	private final MetadataCopy metadata;

	/**
	 * @param setProperties the profile's {@code set-properties}, set on every image after
	 * the source's
	 */
	public Finalizer(Ledger ledger, Side source, Side target, Cleanup cleanup, Map<String, String> setProperties) {
		this.ledger = ledger;
		this.source = source;
		this.target = target;
		this.cleaner = new ExportCleaner(source, target, cleanup);
		this.metadata = new MetadataCopy(setProperties);
	}

	/**
	 * Finishes a batch of images, the API calls made by {@code workers}, and answers for
	 * each, in the rows' order, what it came to: its move, for the caller to record with
	 * the others, or the exception that stopped it (an outage: finished again in a later
	 * cycle). Finishing again after a crash is harmless: the same patch, and deletes of
	 * what is already gone. The source's export is deleted (as the policy says) only for
	 * the rows {@code releasing} names: the last target of their image to finish, since
	 * one export serves every target.
	 */
	public List<Finished> finishAll(List<ImageRecord> rows, Set<Long> releasing, Workers workers) {
		List<Finished> outcomes = new ArrayList<>(workers.each(rows, (row) -> {
			try {
				return patch(row);
			}
			catch (RuntimeException ex) {
				return new Finished.Interrupted(ex);
			}
		}));
		List<Integer> migrated = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			if (outcomes.get(i) instanceof Finished.Migrated) {
				migrated.add(i);
			}
		}
		List<ImageRecord> toClean = migrated.stream().map(rows::get).toList();
		Map<Long, List<Leftover>> leftovers = this.cleaner.clean(toClean, releasing, workers);
		for (int i : migrated) {
			Transition change = ((Finished.Migrated) outcomes.get(i)).transition();
			outcomes.set(i,
					new Finished.Migrated(change.withLeftovers(leftovers.getOrDefault(rows.get(i).id(), List.of()))));
		}
		return outcomes;
	}

	/** Copies the source's metadata and the provenance; answers the image's new state. */
	private Finished patch(ImageRecord record) {
		String targetId = record.targetImageId();
		ImageInfo origin = this.source.images().image(record.sourceImageId()).orElse(null);
		if (origin == null) {
			log.warn("source image {} is gone from {}: {} gets only its name, provenance and set-properties",
					record.sourceImageId(), this.source.region(), targetId);
		}
		MetadataCopy.Copied copied;
		try {
			copied = this.metadata.copy((ops) -> this.target.images().patch(targetId, ops),
					Provenance.value(this.source.region(), record.sourceImageId()), origin);
		}
		catch (CloudException ex) {
			if (ex.retryable() || ex.unauthorized()) {
				throw ex;
			}
			return refused(record, "its metadata could not be copied: " + ex.getMessage());
		}
		if (copied.provenanceRefused() != null) {
			return refused(record, "the target refused its provenance property " + Provenance.PROPERTY + " (HTTP "
					+ copied.provenanceRefused() + "), without which no later run recognises it as migrated");
		}
		if (!copied.notCopied().isEmpty()) {
			log.warn("{} migrated to {} with a warning: {} refuses properties {}, not copied (PATCH requests: {})",
					record.sourceImageId(), targetId, this.target.region(), copied.notCopied(), copied.requests());
		}
		return new Finished.Migrated(Transition.migrated(record.id(), copied.notCopied(), this.ledger.instant()));
	}

	private Finished refused(ImageRecord record, String why) {
		return new Finished.Failed(Transition.failed(record.id(), "METADATA_REFUSED",
				"image " + record.targetImageId() + " was imported but " + why, this.ledger.instant()));
	}

}

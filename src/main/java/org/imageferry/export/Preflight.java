package org.imageferry.export;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ingest.Provenance;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;
import org.imageferry.vhd.VhdValidator;

/**
 * Checks an image in the source region before anything is created for it: it exists, the
 * caller owns it, it is active and exportable ({@code com.rackspace__1__options} "0") and
 * within the size limit — and it was not migrated already (found in the target by its
 * provenance property). Each refusal is that image's outcome.
 */
public final class Preflight {

	/**
	 * What pre-flight decided for one image: {@code READY} with the source image's name
	 * and size, {@code MIGRATED} already (as {@code targetImageId}), or {@code FAILED}
	 * with a code and why.
	 */
	public record Verdict(ImageState state, String name, Long size, String targetImageId, String failureCode,
			String explanation) {

		static Verdict ready(ImageInfo image) {
			return new Verdict(ImageState.READY, image.name(), image.size(), null, null, null);
		}

		static Verdict migrated(String targetImageId) {
			return new Verdict(ImageState.MIGRATED, null, null, targetImageId, null, null);
		}

		static Verdict failed(String code, String explanation) {
			return new Verdict(ImageState.FAILED, null, null, null, code, explanation);
		}

		/** The verdict as the image's move in the ledger, at {@code now}. */
		Transition transition(long rowId, Instant now) {
			return switch (this.state) {
				case READY -> Transition.ready(rowId, this.name, this.size);
				case MIGRATED -> Transition.alreadyMigrated(rowId, this.targetImageId, now);
				default -> Transition.failed(rowId, this.failureCode, this.explanation, now);
			};
		}

	}

	private final Side source;

	private final Side target;

	private final long sizeLimit;

	private final boolean force;

	public Preflight(Side source, Side target, long sizeLimit, boolean force) {
		this.source = source;
		this.target = target;
		this.sizeLimit = sizeLimit;
		this.force = force;
	}

	public Verdict check(String id) {
		if (!this.force) {
			List<ImageInfo> migrated = this.target.images()
				.imagesWithProperty(Provenance.PROPERTY, Provenance.value(this.source.region(), id));
			if (!migrated.isEmpty()) {
				return Verdict.migrated(migrated.get(0).id());
			}
		}
		Optional<ImageInfo> found;
		try {
			found = this.source.images().image(id);
		}
		catch (CloudException ex) {
			if (ex.retryable() || ex.unauthorized()) {
				throw ex;
			}
			return Verdict.failed("PREFLIGHT_ERROR", ex.getMessage());
		}
		if (found.isEmpty()) {
			return Verdict.failed("NOT_FOUND", "image " + id + " does not exist in " + this.source.region()
					+ " or is not visible to user " + this.source.session().username());
		}
		ImageInfo image = found.get();
		String tenant = this.source.session().tenantId();
		if (!tenant.equals(image.owner())) {
			return Verdict.failed("NOT_OWNER", "image " + id + " belongs to tenant " + image.owner() + ", not to "
					+ tenant + "; only images you own can be exported");
		}
		if (!"active".equals(image.status())) {
			return Verdict.failed("NOT_ACTIVE", "image " + id + " is " + image.status() + ", not active");
		}
		if (!image.exportable()) {
			return Verdict.failed("NOT_EXPORTABLE", "image " + id + " cannot be exported: its " + ImageInfo.OPTIONS
					+ " is '" + image.properties().get(ImageInfo.OPTIONS)
					+ "' (Rackspace exports only images where it is '0'; not Windows, RHEL, public or shared ones)");
		}
		if (image.size() > this.sizeLimit) {
			return Verdict.failed("TOO_LARGE",
					String.format(Locale.ROOT, "image %s is %,d bytes, above the size-limit of %s", id, image.size(),
							VhdValidator.describeLimit(this.sizeLimit)));
		}
		return Verdict.ready(image);
	}

	/** Records a verdict in the caller's transaction: the pre-flight step's chunk. */
	public static void record(Ledger ledger, ImageRecord record, Verdict verdict) {
		ledger.updateInTransaction(verdict.transition(record.id(), ledger.instant()));
	}

}

package org.imageferry.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.Ledger;
import org.imageferry.vhd.ImportFailure;
import org.imageferry.vhd.RangeReader;
import org.imageferry.vhd.VhdValidator;

/**
 * Moves one exported image from the source region's Cloud Files to the target's, segment
 * by segment:
 * <ol>
 * <li>the export's manifest and segments must agree (listings lag behind writes, so it
 * waits a little for them to);</li>
 * <li>the VHD's footer and headers are checked as Rackspace's import will check them,
 * failing early with the same code instead of after moving the bytes;</li>
 * <li>each segment not already in the target with the same size and ETag is copied by
 * {@link SegmentCopier} — so a restart resumes at segment granularity;</li>
 * <li>the target manifest is written and verified end to end: same length, and the same
 * ETag, which for a Dynamic Large Object is the MD5 of its segments' ETags.</li>
 * </ol>
 */
public final class ObjectTransfer {

	private final Ledger ledger;

	private final Side source;

	private final Side target;

	private final SegmentCopier copier;

	private final long sizeLimit;

	private final Duration consistencyWait;

	public ObjectTransfer(Ledger ledger, Side source, Side target, SegmentCopier copier, long sizeLimit,
			Duration consistencyWait) {
		this.ledger = ledger;
		this.source = source;
		this.target = target;
		this.copier = copier;
		this.sizeLimit = sizeLimit;
		this.consistencyWait = consistencyWait;
	}

	public void transfer(ImageRecord record) {
		String id = record.sourceImageId();
		String manifestName = this.source.objectName(id);
		ObjectInfo manifest = this.source.files()
			.head(this.source.container(), manifestName)
			.orElseThrow(() -> new TransferFailure("EXPORT_MISSING",
					"the exported object " + this.source.location(id) + " is not in " + this.source.region()));
		List<ObjectInfo> segments = consistentSegments(manifest, id);
		checkVhd(manifest);
		this.ledger.update(record.id(), ImageState.TRANSFERRING,
				Map.of("SEGMENTS", segments.size(), "TRANSFER_STARTED_AT",
						(record.transferStartedAt() != null) ? record.transferStartedAt() : this.ledger.instant()));
		Map<String, ObjectInfo> present = this.target.files()
			.list(this.target.container(), manifestName + "-")
			.stream()
			.collect(Collectors.toMap(ObjectInfo::name, (o) -> o));
		removeStrays(present, segments);
		long moved = 0;
		int done = 0;
		for (ObjectInfo segment : segments) {
			ObjectInfo there = present.get(segment.name());
			if (there == null || there.bytes() != segment.bytes() || !there.etag().equals(segment.etag())) {
				this.copier.copy(this.source.files(), this.source.container(), this.target.files(),
						this.target.container(), segment);
			}
			moved += segment.bytes();
			done++;
			if (done < segments.size()) {
				// the last segment's progress is recorded with the end of the transfer
				this.ledger.update(record.id(), ImageState.TRANSFERRING,
						Map.of("SEGMENTS_DONE", done, "BYTES_MOVED", moved));
			}
		}
		this.target.files()
			.putManifest(this.target.container(), manifestName, this.target.container() + "/" + manifestName + "-");
		verifyTarget(manifestName, manifest);
		this.ledger.update(record.id(), ImageState.TRANSFERRED,
				Map.of("SEGMENTS_DONE", done, "BYTES_MOVED", moved, "TRANSFER_ENDED_AT", this.ledger.now()));
	}

	/**
	 * The export's segments, once the listing adds up to the manifest's length and ETag:
	 * a listing read right after the export may still miss segments.
	 */
	private List<ObjectInfo> consistentSegments(ObjectInfo manifest, String id) {
		String prefix = this.source.objectName(id) + "-";
		long deadline = System.nanoTime() + this.consistencyWait.toNanos();
		while (true) {
			List<ObjectInfo> segments = this.source.files().list(this.source.container(), prefix);
			long total = segments.stream().mapToLong(ObjectInfo::bytes).sum();
			if (!segments.isEmpty() && total == manifest.bytes() && etagOfEtags(segments).equals(manifest.etag())) {
				return segments;
			}
			if (System.nanoTime() > deadline) {
				throw CloudException.retryable("the listing of " + prefix + "* in " + this.source.region() + " shows "
						+ segments.size() + " segments, " + total + " bytes, but the manifest says " + manifest.bytes()
						+ " bytes; still inconsistent after " + this.consistencyWait, 0, null, null);
			}
			pause();
		}
	}

	private void checkVhd(ObjectInfo manifest) {
		RangeReader reader = new RangeReader() {

			@Override
			public long length() {
				return manifest.bytes();
			}

			@Override
			public byte[] read(long offset, int length) {
				return ObjectTransfer.this.source.files()
					.read(ObjectTransfer.this.source.container(), manifest.name(), offset, length);
			}

		};
		Optional<ImportFailure> failure;
		try {
			failure = VhdValidator.check(reader, this.sizeLimit);
		}
		catch (IOException ex) {
			throw CloudException.retryable("reading the VHD footer of " + manifest.name() + " failed", 0, null, ex);
		}
		if (failure.isPresent()) {
			throw new TransferFailure(Integer.toString(failure.get().code()),
					failure.get().message() + " (found in the exported object before transfer)");
		}
	}

	/**
	 * Deletes target segments under the prefix that the source does not have (an earlier,
	 * different copy).
	 */
	private void removeStrays(Map<String, ObjectInfo> present, List<ObjectInfo> segments) {
		Set<String> wanted = segments.stream().map(ObjectInfo::name).collect(Collectors.toSet());
		present.keySet()
			.stream()
			.filter((name) -> !wanted.contains(name))
			.forEach((name) -> this.target.files().delete(this.target.container(), name));
	}

	private void verifyTarget(String manifestName, ObjectInfo expected) {
		long deadline = System.nanoTime() + this.consistencyWait.toNanos();
		while (true) {
			ObjectInfo written = this.target.files().head(this.target.container(), manifestName).orElse(null);
			if (written != null && written.bytes() == expected.bytes() && written.etag().equals(expected.etag())) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw CloudException
					.retryable("the target object " + this.target.container() + "/" + manifestName + " reads as "
							+ ((written != null) ? written.bytes() + " bytes, ETag " + written.etag() : "missing")
							+ ", expected " + expected.bytes() + " bytes, ETag " + expected.etag(), 0, null, null);
			}
			pause();
		}
	}

	static String etagOfEtags(List<ObjectInfo> segments) {
		StringBuilder etags = new StringBuilder();
		segments.forEach((s) -> etags.append(s.etag()));
		return HexFormat.of().formatHex(SegmentCopier.md5().digest(etags.toString().getBytes(StandardCharsets.UTF_8)));
	}

	private static void pause() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CloudException("transfer interrupted", 0, false, null, ex);
		}
	}

}

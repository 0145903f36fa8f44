package org.imageferry.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.springframework.util.Assert;

import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.Transition;
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
 * {@link SegmentCopier}, up to {@code segmentConcurrency} of them at a time, in order of
 * their names — so a restart resumes at segment granularity: a segment is in the target
 * whole or not at all;</li>
 * <li>the target manifest is written and verified end to end: same length, and the same
 * ETag, which for a Dynamic Large Object is the MD5 of its segments' ETags.</li>
 * </ol>
 * Copying two segments at a time keeps both ends busy: while one copy waits for its
 * source, the other is digesting and sending, and each copy's MD5 runs on its own thread.
 */
public final class ObjectTransfer implements AutoCloseable {

	private final Ledger ledger;

	private final Side source;

	private final Side target;

	private final SegmentCopier copier;

	private final long sizeLimit;

	private final Duration consistencyWait;

	private final int segmentConcurrency;

	/** Set when copies are to stop at the end of the segment they are copying. */
	private volatile boolean stopping;

	/** Threads that copy an image's segments beside the thread that transfers it. */
	private final ExecutorService helpers = Executors.newCachedThreadPool(Workers.daemon("segment-copy"));

	/**
	 * @param segmentConcurrency segments of one image copied at the same time, at least 1
	 */
	public ObjectTransfer(Ledger ledger, Side source, Side target, SegmentCopier copier, long sizeLimit,
			Duration consistencyWait, int segmentConcurrency) {
		Assert.isTrue(segmentConcurrency >= 1, "segmentConcurrency must be at least 1");
		this.ledger = ledger;
		this.source = source;
		this.target = target;
		this.copier = copier;
		this.sizeLimit = sizeLimit;
		this.consistencyWait = consistencyWait;
		this.segmentConcurrency = segmentConcurrency;
	}

	/**
	 * The change that marks an image's transfer as started, for the caller to commit
	 * (with the others it starts) before {@link #transfer}: from then on a restart
	 * resumes it.
	 */
	public Transition start(ImageRecord record) {
		return Transition.transferStarted(record.id(),
				(record.transferStartedAt() != null) ? record.transferStartedAt() : this.ledger.instant());
	}

	/**
	 * Moves the image's export and answers its move to {@code TRANSFERRED}, for the
	 * caller to commit with others: should the process end first, the next run finds
	 * every segment in place and only writes and checks the manifest again.
	 */
	public Transition transfer(ImageRecord record) {
		String id = record.sourceImageId();
		String manifestName = this.source.objectName(id);
		Export export = consistentExport(manifestName, id);
		ObjectInfo manifest = export.manifest();
		List<ObjectInfo> segments = export.segments();
		checkVhd(manifest);
		Map<String, ObjectInfo> present = this.target.files()
			.list(this.target.container(), manifestName + "-")
			.stream()
			.collect(Collectors.toMap(ObjectInfo::name, (o) -> o));
		removeStrays(present, segments);
		copySegments(record, segments, present);
		this.target.files()
			.putManifest(this.target.container(), manifestName, this.target.container() + "/" + manifestName + "-");
		verifyTarget(manifestName, manifest);
		return Transition.transferred(record.id(), segments.size(),
				segments.stream().mapToLong(ObjectInfo::bytes).sum(), this.ledger.instant());
	}

	/**
	 * Moves the image's export as {@link #transfer} does and answers how its copy ended,
	 * for the caller to record: {@code TRANSFERRED}, or {@code FAILED} for a refusal that
	 * another try would meet again (a bad VHD, a 4xx). Answers null when the copy was
	 * stopped ({@code stopped} says so, or the thread was interrupted): it ends without
	 * an outcome, for a later copy to resume. Throws the {@link CloudException} of an
	 * infrastructure failure (5xx, unauthorized, no answer): the image is not at fault.
	 * One decision for every copier — the pump's transfers and the workers'.
	 */
	public Transition transferOrFail(ImageRecord record, BooleanSupplier stopped) {
		try {
			return transfer(record);
		}
		catch (TransferFailure ex) {
			return Transition.failed(record.id(), ex.code(), ex.getMessage(), this.ledger.instant());
		}
		catch (CloudException ex) {
			if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
				return null;
			}
			if (ex.retryable() || ex.unauthorized() || ex.status() == 0) {
				throw ex;
			}
			return Transition.failed(record.id(), "TRANSFER_FAILED", ex.getMessage(), this.ledger.instant());
		}
	}

	/**
	 * Copies the segments the target lacks, {@code segmentConcurrency} at a time: this
	 * thread and helpers take the next segment in name order as each finishes one. The
	 * ledger shows the progress between segments: how many there are and are already in
	 * the target, then each one stored (an image of one segment has no in-between: its
	 * move to {@code TRANSFERRED} says it all). When a copy fails, no new segment is
	 * started, the copies under way are let finish (what they store is kept, and a
	 * restart skips it), and the first failure is thrown.
	 */
	private void copySegments(ImageRecord record, List<ObjectInfo> segments, Map<String, ObjectInfo> present) {
		Queue<ObjectInfo> missing = new ConcurrentLinkedQueue<>();
		long already = 0;
		int alreadyDone = 0;
		for (ObjectInfo segment : segments) {
			ObjectInfo there = present.get(segment.name());
			if (there == null || there.bytes() != segment.bytes() || !there.etag().equals(segment.etag())) {
				missing.add(segment);
			}
			else {
				already += segment.bytes();
				alreadyDone++;
			}
		}
		if (segments.size() > 1) {
			this.ledger.update(Transition.transferProgress(record.id(), segments.size(), alreadyDone, already));
		}
		Progress progress = new Progress(record.id(), segments.size(), alreadyDone, already);
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		Runnable worker = () -> {
			ObjectInfo segment;
			while (failure.get() == null && !this.stopping && (segment = missing.poll()) != null) {
				try {
					this.copier.copy(this.source.files(), this.source.container(), this.target.files(),
							this.target.container(), segment);
					progress.stored(segment);
				}
				catch (RuntimeException ex) {
					failure.compareAndSet(null, ex);
				}
			}
		};
		List<Future<?>> helping = new ArrayList<>();
		for (int i = 1; i < Math.min(this.segmentConcurrency, missing.size()); i++) {
			helping.add(this.helpers.submit(worker));
		}
		try {
			worker.run();
			for (Future<?> helper : helping) {
				helper.get();
			}
		}
		catch (InterruptedException ex) {
			helping.forEach((helper) -> helper.cancel(true));
			Thread.currentThread().interrupt();
			throw new CloudException("transfer interrupted", 0, false, null, ex);
		}
		catch (ExecutionException ex) {
			failure.compareAndSet(null, new IllegalStateException(ex.getCause()));
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		if (!missing.isEmpty()) {
			throw new CloudException("transfer stopped at a segment's end, " + missing.size() + " to copy", 0, false,
					null, null);
		}
	}

	/**
	 * Copies under way finish the segment they are copying and start no other; their
	 * transfer then ends with a {@link CloudException} (status 0) instead of writing the
	 * manifest. Every segment stored is in the target whole, and a later transfer skips
	 * it.
	 */
	public void stopAtSegmentEnd() {
		this.stopping = true;
	}

	/** Stops the helper threads; a transfer under way is interrupted. */
	@Override
	public void close() {
		this.helpers.shutdownNow();
	}

	/**
	 * The export's manifest and segments, once the listing adds up to the manifest's
	 * length and ETag. Both are read again until they agree: a listing read right after
	 * the export may still miss segments, and so may the manifest's own HEAD, since a
	 * Dynamic Large Object's length and ETag come from that same listing.
	 */
	private Export consistentExport(String manifestName, String id) {
		String prefix = manifestName + "-";
		long deadline = System.nanoTime() + this.consistencyWait.toNanos();
		while (true) {
			ObjectInfo manifest = this.source.files()
				.head(this.source.container(), manifestName)
				.orElseThrow(() -> new TransferFailure("EXPORT_MISSING",
						"the exported object " + this.source.location(id) + " is not in " + this.source.region()));
			List<ObjectInfo> segments = this.source.files().list(this.source.container(), prefix);
			long total = segments.stream().mapToLong(ObjectInfo::bytes).sum();
			if (!segments.isEmpty() && total == manifest.bytes() && etagOfEtags(segments).equals(manifest.etag())) {
				return new Export(manifest, segments);
			}
			if (System.nanoTime() > deadline) {
				throw CloudException.retryable("the listing of " + prefix + "* in " + this.source.region() + " shows "
						+ segments.size() + " segments, " + total + " bytes, but the manifest says " + manifest.bytes()
						+ " bytes; still inconsistent after " + this.consistencyWait, 0, null, null);
			}
			pause();
		}
	}

	private record Export(ObjectInfo manifest, List<ObjectInfo> segments) {
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
					failure.get().message(this.sizeLimit) + " (found in the exported object before transfer)");
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

	/**
	 * Segments stored so far, as the ledger shows them; the last one is counted with the
	 * move to {@code TRANSFERRED}, after the manifest and its check.
	 */
	private final class Progress {

		private final long id;

		private final int total;

		private int done;

		private long moved;

		Progress(long id, int total, int done, long moved) {
			this.id = id;
			this.total = total;
			this.done = done;
			this.moved = moved;
		}

		synchronized void stored(ObjectInfo segment) {
			this.done++;
			this.moved += segment.bytes();
			if (this.done < this.total) {
				ObjectTransfer.this.ledger
					.update(Transition.transferProgress(this.id, this.total, this.done, this.moved));
			}
		}

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

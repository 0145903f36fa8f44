package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.Deletion;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Leftover;

/**
 * Deletes migrated images' exported objects — the export in the source region, the copy
 * in the target region — on the sides the {@link Cleanup} policy names, and answers what
 * stayed. A clean-up never fails a migration: an image is migrated once its import
 * succeeded and its metadata is copied. What cannot be deleted now (a Swift that keeps
 * refusing, a container over its write limit past the retries) is recorded with the image
 * as its leftovers, listed by {@code status} and the reports, and deleted by a later run
 * ({@link LeftoverSweep}).
 * <p>
 * On each side every manifest goes first, then the segments listed under each: segments
 * left without their manifest are invisible, and a later attempt finds them by prefix,
 * whereas a manifest whose segments were gone would read as a corrupt image. So the
 * segments of an image whose manifest stayed are not touched.
 */
public final class ExportCleaner {

	private static final Logger log = LoggerFactory.getLogger(ExportCleaner.class);

	private final Side source;

	private final Side target;

	private final Cleanup cleanup;

	public ExportCleaner(Side source, Side target, Cleanup cleanup) {
		this.source = source;
		this.target = target;
		this.cleanup = cleanup;
	}

	/**
	 * Deletes the images' exports, the API calls made by {@code workers}: their copies in
	 * the target, and the source's export of those among them that {@code releasing}
	 * names: the last of their image's targets, with which no target needs the export any
	 * longer (one export serves every target of an image).
	 * @return for each image that has objects left, what is left
	 */
	public Map<Long, List<Leftover>> clean(List<ImageRecord> rows, Set<Long> releasing, Workers workers) {
		Map<Long, List<Leftover>> left = new LinkedHashMap<>();
		if (this.cleanup.source()) {
			deleteExports(this.source, Leftover.End.SOURCE,
					rows.stream().filter((row) -> releasing.contains(row.id())).toList(), workers)
				.forEach((id, objects) -> left.computeIfAbsent(id, (k) -> new ArrayList<>()).addAll(objects));
		}
		if (this.cleanup.target()) {
			deleteExports(this.target, Leftover.End.TARGET, rows, workers)
				.forEach((id, objects) -> left.computeIfAbsent(id, (k) -> new ArrayList<>()).addAll(objects));
		}
		return left;
	}

	/**
	 * Deletes the images' exports on one side, in its container.
	 * @param end which side it is, as the leftovers name it
	 * @return for each image that has objects left there, what is left
	 */
	static Map<Long, List<Leftover>> deleteExports(Side side, Leftover.End end, List<ImageRecord> rows,
			Workers workers) {
		if (rows.isEmpty()) {
			return Map.of();
		}
		try {
			return deleteListed(side, end, rows, workers);
		}
		catch (RuntimeException ex) {
			log.warn("the clean-up in {} {} failed ({}): the next run deletes what is left", side.region(),
					side.container(), ex.getMessage());
			Map<Long, List<Leftover>> left = new LinkedHashMap<>();
			rows.forEach((row) -> left.put(row.id(), unknown(side, end, row)));
			return left;
		}
	}

	private static Map<Long, List<Leftover>> deleteListed(Side side, Leftover.End end, List<ImageRecord> rows,
			Workers workers) {
		AtomicBoolean failing = new AtomicBoolean();
		List<Optional<List<String>>> segments = workers.each(rows,
				(row) -> failing.get() ? Optional.empty() : segments(side, row, failing));
		List<String> manifests = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			if (segments.get(i).isPresent()) {
				manifests.add(side.objectName(rows.get(i).sourceImageId()));
			}
		}
		Deletion manifestsDeleted = side.files().deleteAll(side.container(), manifests);
		Set<String> manifestsLeft = new HashSet<>(manifestsDeleted.left());
		List<String> orphaned = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			if (segments.get(i).isPresent() && !manifestsLeft.contains(side.objectName(rows.get(i).sourceImageId()))) {
				orphaned.addAll(segments.get(i).get());
			}
		}
		Deletion segmentsDeleted = side.files().deleteAll(side.container(), orphaned);
		Set<String> segmentsLeft = new HashSet<>(segmentsDeleted.left());
		Map<Long, List<Leftover>> left = new LinkedHashMap<>();
		for (int i = 0; i < rows.size(); i++) {
			ImageRecord row = rows.get(i);
			String manifest = side.objectName(row.sourceImageId());
			List<Leftover> objects;
			if (segments.get(i).isEmpty()) {
				objects = unknown(side, end, row);
			}
			else if (manifestsLeft.contains(manifest)) {
				objects = new ArrayList<>(List.of(leftover(side, end, manifest)));
				segments.get(i).get().forEach((segment) -> objects.add(leftover(side, end, segment)));
			}
			else {
				objects = segments.get(i)
					.get()
					.stream()
					.filter(segmentsLeft::contains)
					.map((segment) -> leftover(side, end, segment))
					.toList();
			}
			if (!objects.isEmpty()) {
				left.put(row.id(), objects);
			}
		}
		if (!left.isEmpty()) {
			String reason = (manifestsDeleted.reason() != null) ? manifestsDeleted.reason() : segmentsDeleted.reason();
			log.warn("the clean-up left {} objects of {} images in {} {} ({}): the next run deletes them",
					left.values().stream().mapToInt(List::size).sum(), left.size(), side.region(), side.container(),
					(reason != null) ? reason : "listing failed");
		}
		return left;
	}

	/**
	 * The segments under an image's manifest, or empty when they could not be listed —
	 * then {@code failing} is set, and the other images are not listed in vain, each
	 * after its own retries.
	 */
	private static Optional<List<String>> segments(Side side, ImageRecord row, AtomicBoolean failing) {
		String prefix = side.objectName(row.sourceImageId()) + "-";
		try {
			return Optional.of(side.files().list(side.container(), prefix).stream().map(ObjectInfo::name).toList());
		}
		catch (CloudException ex) {
			failing.set(true);
			log.warn("listing {} in {} {} failed: {}", prefix, side.region(), side.container(), ex.getMessage());
			return Optional.empty();
		}
	}

	/** An export nothing is known of: its manifest and whatever is under its prefix. */
	private static List<Leftover> unknown(Side side, Leftover.End end, ImageRecord row) {
		String manifest = side.objectName(row.sourceImageId());
		return List.of(leftover(side, end, manifest), leftover(side, end, manifest + "-*"));
	}

	private static Leftover leftover(Side side, Leftover.End end, String object) {
		return new Leftover(end, side.region(), side.container(), object);
	}

}

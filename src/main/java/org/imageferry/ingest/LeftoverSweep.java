package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.imageferry.await.Workers;
import org.imageferry.cloud.Side;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Leftover;
import org.imageferry.ledger.Ledger;

/**
 * Deletes what earlier clean-ups on a route left behind ({@link ExportCleaner}),
 * whichever run migrated the image: run after every run — a nightly re-run, or the same
 * command again, even for a run that already completed — so leftovers go as soon as the
 * cloud takes the deletes again, and the ledger then forgets them. Each image's exports
 * are cleaned again whole (manifest, then the segments found by prefix), in the container
 * its leftovers name, so segments missed by an earlier listing go too. Only migrated
 * images are swept: an image started over ({@code --force}) drops its leftovers, and its
 * new finishing cleans the same names.
 */
public final class LeftoverSweep {

	private static final Logger log = LoggerFactory.getLogger(LeftoverSweep.class);

	/** Images cleaned again, and recorded, at a time. */
	private static final int PAGE = 100;

	private final Ledger ledger;

	private final String route;

	private final Side source;

	private final Side target;

	public LeftoverSweep(Ledger ledger, String route, Side source, Side target) {
		this.ledger = ledger;
		this.route = route;
		this.source = source;
		this.target = target;
	}

	/**
	 * @return how many objects are still left
	 */
	public int sweep(Workers workers) {
		int left = 0;
		int images = 0;
		List<ImageRecord> page = this.ledger.withLeftovers(this.route, 0, PAGE);
		while (!page.isEmpty()) {
			Map<Long, List<Leftover>> after = retry(page, workers);
			this.ledger.recordLeftovers(after);
			left += after.values().stream().mapToInt(List::size).sum();
			images += page.size();
			page = this.ledger.withLeftovers(this.route, page.get(page.size() - 1).id(), PAGE);
		}
		if (images > 0) {
			log.info("cleaned up again after {} migrated images: {} objects still left", images, left);
		}
		return left;
	}

	/** Cleans the images again where their leftovers are; answers what is left now. */
	private Map<Long, List<Leftover>> retry(List<ImageRecord> rows, Workers workers) {
		Map<Long, List<Leftover>> after = new LinkedHashMap<>();
		Map<Place, Set<ImageRecord>> byPlace = new LinkedHashMap<>();
		for (ImageRecord row : rows) {
			after.put(row.id(), new ArrayList<>());
			row.leftovers().forEach((l) -> byPlace.computeIfAbsent(Place.of(l), (p) -> new LinkedHashSet<>()).add(row));
		}
		byPlace.forEach((place, images) -> {
			Side side = (place.end() == Leftover.End.SOURCE) ? this.source : this.target;
			if (!side.region().equals(place.region())) {
				// the profile now names another region for this end: kept for the
				// operator
				images.forEach((row) -> row.leftovers()
					.stream()
					.filter((l) -> Place.of(l).equals(place))
					.forEach(after.get(row.id())::add));
				return;
			}
			Side there = new Side(side.region(), side.session(), side.images(), side.files(), place.container());
			ExportCleaner.deleteExports(there, place.end(), List.copyOf(images), workers)
				.forEach((id, objects) -> after.get(id).addAll(objects));
		});
		return after;
	}

	/** Where leftovers are: an end's region and container. */
	private record Place(Leftover.End end, String region, String container) {

		static Place of(Leftover leftover) {
			return new Place(leftover.end(), leftover.region(), leftover.container());
		}

	}

}

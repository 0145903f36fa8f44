package org.imageferry.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.openstack4j.openstack.image.v2.domain.PatchOperation.OperationType;

import org.imageferry.cloud.ImageInfo;
import org.imageferry.cloud.ImagesClient;
import org.imageferry.cloud.ProtectedProperties;

/**
 * What an imported image gets besides its name, in one JSON patch: the provenance
 * property, then the source image's tags, {@code min_disk}, {@code min_ram} and
 * properties, then the profile's {@code set-properties} (which win over the source's
 * values). Never sent: a key Rackspace protects ({@link ProtectedProperties}), and the
 * properties that describe the source image's own history ({@link #HISTORY}). Whatever
 * else the target refuses is found by {@link PatchNarrowing} and reported as not copied;
 * a key refused 403 (a protection) is not sent again to this target for the rest of the
 * run, so only the first images pay for finding it.
 */
final class MetadataCopy {

	/**
	 * Properties about where the source image came from — the server it was taken from,
	 * its creator, how it was made — which are not true of the imported image.
	 */
	static final Set<String> HISTORY = Set.of("image_type", "instance_uuid", "base_image_ref", "image_location",
			"image_state", "owner_id", "user_id");

	private final Map<String, String> setProperties;

	/** Keys this target refused with 403 earlier in the run. */
	private final Set<String> protectedHere = ConcurrentHashMap.newKeySet();

	/**
	 * @param setProperties the profile's {@code set-properties}, already checked to hold
	 * no protected key
	 */
	MetadataCopy(Map<String, String> setProperties) {
		this.setProperties = Map.copyOf(setProperties);
	}

	/**
	 * @param notCopied the keys the target refused (or refused earlier in the run),
	 * sorted
	 * @param provenanceRefused the status the target refused the provenance with, or null
	 * when it took it; once refused, nothing after it was tried
	 * @param requests the {@code PATCH} requests it took
	 */
	record Copied(List<String> notCopied, Integer provenanceRefused, int requests) {
	}

	/**
	 * Copies the metadata onto the target image.
	 * @param target patches the target image, e.g. {@link ImagesClient#patch} of its id
	 * @param origin the source image, or null when it is gone: then only the provenance
	 * and {@code set-properties}
	 */
	Copied copy(PatchNarrowing.Target target, String provenance, ImageInfo origin) {
		List<PatchNarrowing.Change> changes = changes(provenance, origin);
		List<String> skipped = changes.stream()
			.map(PatchNarrowing.Change::key)
			.filter(this.protectedHere::contains)
			.toList();
		List<PatchNarrowing.Change> sent = changes.stream()
			.filter((c) -> !this.protectedHere.contains(c.key()))
			.toList();
		PatchNarrowing.Result result = PatchNarrowing.apply(sent, target, Provenance.PROPERTY);
		Integer provenanceRefused = result.refused().get(Provenance.PROPERTY);
		List<String> notCopied = new ArrayList<>(skipped);
		result.refused().forEach((key, status) -> {
			if (!key.equals(Provenance.PROPERTY)) {
				notCopied.add(key);
				if (status == 403) {
					this.protectedHere.add(key);
				}
			}
		});
		notCopied.sort(null);
		return new Copied(List.copyOf(notCopied), provenanceRefused, result.requests());
	}

	/**
	 * The patch, one change per key: the provenance first (narrowing stops at it), the
	 * keys Rackspace may refuse last (so a refusal is narrowed down among few).
	 */
	List<PatchNarrowing.Change> changes(String provenance, ImageInfo origin) {
		List<PatchNarrowing.Change> changes = new ArrayList<>();
		changes.add(add(Provenance.PROPERTY, provenance));
		Map<String, String> properties = new TreeMap<>();
		if (origin != null) {
			changes.add(new PatchNarrowing.Change("tags",
					new PatchOperation(OperationType.REPLACE, "/tags", origin.tags())));
			changes.add(new PatchNarrowing.Change("min_disk",
					new PatchOperation(OperationType.REPLACE, "/min_disk", origin.minDisk())));
			changes.add(new PatchNarrowing.Change("min_ram",
					new PatchOperation(OperationType.REPLACE, "/min_ram", origin.minRam())));
			origin.properties().forEach((key, value) -> {
				if (copied(key)) {
					properties.put(key, value);
				}
			});
		}
		properties.putAll(this.setProperties);
		properties.forEach((key, value) -> {
			if (!ProtectedProperties.UNCERTAIN.contains(key)) {
				changes.add(add(key, value));
			}
		});
		properties.forEach((key, value) -> {
			if (ProtectedProperties.UNCERTAIN.contains(key)) {
				changes.add(add(key, value));
			}
		});
		return changes;
	}

	/** Whether a source image's property is copied. */
	static boolean copied(String key) {
		return !ProtectedProperties.isProtected(key) && !HISTORY.contains(key) && !key.equals(Provenance.PROPERTY);
	}

	private static PatchNarrowing.Change add(String key, String value) {
		return new PatchNarrowing.Change(key, new PatchOperation(OperationType.ADD, "/" + pointer(key), value));
	}

	/** A key as a one-token JSON pointer (RFC 6901). */
	private static String pointer(String key) {
		return key.replace("~", "~0").replace("/", "~1");
	}

}

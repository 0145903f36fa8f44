package org.imageferry.ingest;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack4j.openstack.image.v2.domain.PatchOperation;

import org.imageferry.cloud.CloudException;

/**
 * Applies a JSON patch that the target may refuse in part. Glance applies a patch whole
 * or not at all and names no key when it refuses one, so the refused keys are found by
 * narrowing down: the whole patch first (one request when nothing is refused); when it is
 * refused, its first half is tried alone — applied if accepted, so the refusal is in the
 * other half, else narrowed further — until one key is left; then everything neither
 * applied nor refused is tried again, for the next refused key if any. One refused key
 * among n costs at most 2 + ⌈log2 n⌉ requests (7 for 20), and every request that is
 * accepted copies its keys for good.
 * <p>
 * Glance checks a patch's operations in order and refuses at the first it cannot apply,
 * so the status of a refused patch is that of its first refused key: the status each key
 * is reported with is its own.
 */
final class PatchNarrowing {

	/** The statuses Glance refuses one property of a patch with. */
	private static final Set<Integer> PER_KEY = Set.of(400, 403, 409);

	private PatchNarrowing() {
	}

	/** One key's operation in a patch. */
	record Change(String key, PatchOperation operation) {
	}

	/** Sends one {@code PATCH}; throws {@link CloudException} when it is refused. */
	@FunctionalInterface
	interface Target {

		void patch(List<PatchOperation> operations);

	}

	/**
	 * @param refused the keys the target refused, in the order found, each with the
	 * status that refused it; when it holds {@code essential}, narrowing stopped there
	 * and the keys not yet applied were not tried
	 * @param requests how many {@code PATCH} requests it took
	 */
	record Result(Map<String, Integer> refused, int requests) {
	}

	/**
	 * Applies every change the target accepts.
	 * @param essential the key without which the others do not matter: when it is
	 * refused, narrowing stops there
	 * @throws CloudException a refusal that is not about one key (e.g. 401, 404, 415, a
	 * 5xx after the retries): nothing more is tried
	 */
	static Result apply(List<Change> changes, Target target, String essential) {
		Narrowing narrowing = new Narrowing(target);
		List<Change> pending = changes;
		Integer status = narrowing.attempt(pending);
		while (status != null) {
			Change found = narrowing.findOne(pending, status);
			if (found.key().equals(essential)) {
				return new Result(narrowing.refused, narrowing.requests);
			}
			pending = pending.stream()
				.filter((c) -> !narrowing.applied.contains(c.key()) && !narrowing.refused.containsKey(c.key()))
				.toList();
			status = pending.isEmpty() ? null : narrowing.attempt(pending);
		}
		return new Result(narrowing.refused, narrowing.requests);
	}

	private static final class Narrowing {

		private final Target target;

		private final Set<String> applied = new HashSet<>();

		private final Map<String, Integer> refused = new LinkedHashMap<>();

		private int requests;

		Narrowing(Target target) {
			this.target = target;
		}

		/**
		 * Finds the first refused key of {@code refusedPatch}, a patch refused with
		 * {@code status}, and records it; the halves accepted on the way are applied.
		 */
		Change findOne(List<Change> refusedPatch, int status) {
			List<Change> bad = refusedPatch;
			int badStatus = status;
			while (bad.size() > 1) {
				int half = (bad.size() + 1) / 2;
				List<Change> first = bad.subList(0, half);
				Integer firstStatus = attempt(first);
				if (firstStatus == null) {
					bad = bad.subList(half, bad.size());
				}
				else {
					bad = first;
					badStatus = firstStatus;
				}
			}
			Change found = bad.get(0);
			this.refused.put(found.key(), badStatus);
			return found;
		}

		/** Sends one patch: null when applied, else the status that refused it. */
		Integer attempt(List<Change> changes) {
			this.requests++;
			try {
				this.target.patch(changes.stream().map(Change::operation).toList());
			}
			catch (CloudException ex) {
				if (ex.retryable() || !PER_KEY.contains(ex.status())) {
					throw ex;
				}
				return ex.status();
			}
			changes.forEach((c) -> this.applied.add(c.key()));
			return null;
		}

	}

}

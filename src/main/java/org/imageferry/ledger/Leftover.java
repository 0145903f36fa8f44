package org.imageferry.ledger;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An exported object a migrated image's clean-up could not delete (yet): which end of the
 * route it is on, and where. Kept in the image's ledger row so that status and the
 * reports list it and a later run deletes it; an object name ending in {@code *} stands
 * for every object under that prefix (segments that could not even be listed).
 *
 * @param end {@code SOURCE} (the export) or {@code TARGET} (the copy)
 * @param region the region of that end
 * @param container its container
 * @param object the object, or a prefix ending in {@code *}
 */
public record Leftover(End end, String region, String container, String object) {

	/** Which side of the route. */
	public enum End {

		SOURCE, TARGET

	}

	/**
	 * As the ledger keeps it and an operator reads it, e.g.
	 * {@code source DFW exports/<id>.vhd-00001}.
	 */
	@Override
	public String toString() {
		return this.end.name().toLowerCase(Locale.ROOT) + " " + this.region + " " + this.container + "/" + this.object;
	}

	/** One leftover a line, or null for none. */
	static String format(List<Leftover> leftovers) {
		return leftovers.isEmpty() ? null
				: leftovers.stream().map(Leftover::toString).collect(Collectors.joining("\n"));
	}

	static List<Leftover> parse(String text) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		return Arrays.stream(text.split("\n")).filter((line) -> !line.isBlank()).map(Leftover::parseLine).toList();
	}

	private static Leftover parseLine(String line) {
		String[] parts = line.split(" ", 3);
		int slash = parts[2].indexOf('/');
		return new Leftover(End.valueOf(parts[0].toUpperCase(Locale.ROOT)), parts[1], parts[2].substring(0, slash),
				parts[2].substring(slash + 1));
	}

}

package org.imageferry.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One page of a Swift account or container listing, as Swift's container server cuts it
 * ({@code swift/container/backend.py}, {@code list_objects_iter}): names in Swift's
 * order, after {@code marker}, before {@code end_marker}, under {@code prefix}, at most
 * {@code limit}; with a {@code delimiter}, every name with the delimiter after the prefix
 * is folded into one {@code subdir} entry (which counts toward the limit, as a name
 * does); {@code reverse=true} walks backwards, {@code marker} then being the upper bound
 * and {@code end_marker} the lower. A page starts at its marker or prefix and jumps over
 * a subdir's names, so it costs about its length whatever the container holds.
 */
final class Listing {

	/** Swift's (and the clients') most names in one page. */
	static final int MAX_LIMIT = 10_000;

	/**
	 * Swift's name order: by the names' UTF-8 bytes, as SQLite compares them. That is
	 * Unicode code point order, which Java's {@link String#compareTo} (UTF-16 code units)
	 * breaks only where a character beyond U+FFFF (a surrogate pair, U+D800–DFFF) meets
	 * one of U+E000–FFFF: the pair must sort after. Case is not folded ({@code B} before
	 * {@code a}), as in bytes.
	 */
	static final Comparator<String> ORDER = Listing::compare;

	/** A listing's query parameters. */
	record Query(String prefix, String delimiter, String marker, String endMarker, int limit, boolean reverse) {

		Query {
			prefix = (prefix != null) ? prefix : "";
			delimiter = (delimiter != null && !delimiter.isEmpty()) ? delimiter : null;
			marker = (marker != null && !marker.isEmpty()) ? marker : null;
			endMarker = (endMarker != null && !endMarker.isEmpty()) ? endMarker : null;
		}

		/**
		 * As Swift reads them: a {@code limit} that is not a number is ignored, one above
		 * {@value #MAX_LIMIT} is 412; a delimiter must be one character.
		 */
		static Query of(Exchange ex) {
			String given = ex.query("limit");
			int limit = MAX_LIMIT;
			if (given != null && !given.isEmpty() && given.chars().allMatch(Character::isDigit)) {
				if (given.length() > 9 || Integer.parseInt(given) > MAX_LIMIT) {
					throw new ApiError(412, "Maximum limit is " + MAX_LIMIT);
				}
				limit = Integer.parseInt(given);
			}
			String delimiter = ex.query("delimiter");
			if (delimiter != null && (delimiter.codePointCount(0, delimiter.length()) > 1
					|| (!delimiter.isEmpty() && delimiter.codePointAt(0) > 254))) {
				throw new ApiError(412, "Bad delimiter");
			}
			return new Query(ex.query("prefix"), delimiter, ex.query("marker"), ex.query("end_marker"), limit,
					isTrue(ex.query("reverse")));
		}

		/**
		 * Everything under a prefix, in order: the segments of a Dynamic Large Object.
		 */
		static Query under(String prefix) {
			return new Query(prefix, null, null, null, Integer.MAX_VALUE, false);
		}

		private static boolean isTrue(String value) {
			return value != null && List.of("true", "1", "yes", "on", "t", "y").contains(value.toLowerCase());
		}

	}

	/** A listed name: an item, or a {@code subdir} (no item) standing for many. */
	record Entry<T>(String name, T item) {

		boolean subdir() {
			return this.item == null;
		}

	}

	private Listing() {
	}

	/**
	 * @param names every name, in {@link #ORDER}
	 * @param listed whether an item shows in listings yet (a new object within the
	 * listing lag does not)
	 */
	static <T> List<Entry<T>> page(NavigableMap<String, T> names, Query q, Predicate<T> listed) {
		return q.reverse() ? backwards(names, q, listed) : forwards(names, q, listed);
	}

	private static <T> List<Entry<T>> forwards(NavigableMap<String, T> names, Query q, Predicate<T> listed) {
		List<Entry<T>> page = new ArrayList<>();
		String prefix = q.prefix();
		Map.Entry<String, T> e = (q.marker() != null && compare(q.marker(), prefix) >= 0)
				? names.higherEntry(q.marker()) : names.ceilingEntry(prefix);
		while (e != null && page.size() < q.limit()) {
			String name = e.getKey();
			if ((q.endMarker() != null && compare(name, q.endMarker()) >= 0) || !name.startsWith(prefix)) {
				break;
			}
			if (!listed.test(e.getValue())) {
				e = names.higherEntry(name);
				continue;
			}
			String subdir = subdir(name, q);
			if (subdir != null) {
				if (!subdir.equals(q.marker())) {
					page.add(new Entry<>(subdir, null));
				}
				String past = after(subdir);
				e = (past != null) ? names.ceilingEntry(past) : skip(names, e, subdir);
				continue;
			}
			page.add(new Entry<>(name, e.getValue()));
			e = names.higherEntry(name);
		}
		return page;
	}

	private static <T> List<Entry<T>> backwards(NavigableMap<String, T> names, Query q, Predicate<T> listed) {
		List<Entry<T>> page = new ArrayList<>();
		String prefix = q.prefix();
		String pastPrefix = prefix.isEmpty() ? null : after(prefix);
		String upper = q.marker();
		if (upper == null || (pastPrefix != null && compare(pastPrefix, upper) < 0)) {
			upper = pastPrefix;
		}
		Map.Entry<String, T> e = (upper != null) ? names.lowerEntry(upper) : names.lastEntry();
		while (e != null && page.size() < q.limit()) {
			String name = e.getKey();
			if ((q.endMarker() != null && compare(name, q.endMarker()) <= 0) || compare(name, prefix) < 0) {
				break;
			}
			// a name beyond the prefix only when the prefix has no successor to start
			// below
			if (!name.startsWith(prefix) || !listed.test(e.getValue())) {
				e = names.lowerEntry(name);
				continue;
			}
			String subdir = subdir(name, q);
			if (subdir != null) {
				// Swift compares the subdir with the swapped marker: end_marker
				if (!subdir.equals(q.endMarker())) {
					page.add(new Entry<>(subdir, null));
				}
				e = names.lowerEntry(subdir);
				continue;
			}
			page.add(new Entry<>(name, e.getValue()));
			e = names.lowerEntry(name);
		}
		return page;
	}

	/**
	 * @return the name up to and including the delimiter after the prefix, or null when
	 * the name is an item of this level
	 */
	private static String subdir(String name, Query q) {
		if (q.delimiter() == null) {
			return null;
		}
		int at = name.indexOf(q.delimiter(), q.prefix().length());
		return (at < 0) ? null : name.substring(0, at + q.delimiter().length());
	}

	private static <T> Map.Entry<String, T> skip(NavigableMap<String, T> names, Map.Entry<String, T> e, String subdir) {
		while (e != null && e.getKey().startsWith(subdir)) {
			e = names.higherEntry(e.getKey());
		}
		return e;
	}

	/**
	 * The least string after every string that starts with {@code prefix} (Swift's
	 * {@code prefix[:-1] + chr(ord(prefix[-1]) + 1)}, in {@link #ORDER}), or null when
	 * there is none to write.
	 */
	static String after(String prefix) {
		char last = prefix.charAt(prefix.length() - 1);
		char next;
		if (last == '\uD7FF') {
			next = '\uE000';
		}
		else if (last == '\uFFFF') {
			next = '\uD800';
		}
		else if (last == '\uDFFF') {
			return null;
		}
		else {
			next = (char) (last + 1);
		}
		return prefix.substring(0, prefix.length() - 1) + next;
	}

	static int compare(String a, String b) {
		int n = Math.min(a.length(), b.length());
		for (int i = 0; i < n; i++) {
			char x = a.charAt(i);
			char y = b.charAt(i);
			if (x != y) {
				return codePointRank(x) - codePointRank(y);
			}
		}
		return a.length() - b.length();
	}

	/**
	 * Moves the surrogates (the halves of characters beyond U+FFFF) above U+E000–FFFF, so
	 * that comparing UTF-16 code units gives code point order.
	 */
	private static int codePointRank(char c) {
		if (c < '\uD800') {
			return c;
		}
		return (c >= '\uE000') ? c - 0x800 : c + 0x2000;
	}

	/**
	 * Answers a listing: JSON ({@code format=json} or {@code Accept: application/json})
	 * with {@code {"subdir": ...}} for subdirs, else one name a line; 204 when a text
	 * listing is empty, and always for HEAD.
	 * @param json writes an item's fields (its name is written already)
	 */
	static <T> void send(Exchange ex, List<Entry<T>> page, BiConsumer<ObjectNode, T> json) throws IOException {
		if (ex.method().equals("HEAD")) {
			ex.sendEmpty(204);
			return;
		}
		boolean asJson = "json".equals(ex.query("format"))
				|| (ex.query("format") == null && String.valueOf(ex.header("Accept")).contains("application/json"));
		if (asJson) {
			ArrayNode array = Exchange.JSON.createArrayNode();
			for (Entry<T> entry : page) {
				if (entry.subdir()) {
					array.addObject().put("subdir", entry.name());
				}
				else {
					ObjectNode item = array.addObject().put("name", entry.name());
					json.accept(item, entry.item());
				}
			}
			ex.sendJson(200, array);
			return;
		}
		if (page.isEmpty()) {
			ex.sendEmpty(204);
			return;
		}
		StringBuilder text = new StringBuilder();
		page.forEach((entry) -> text.append(entry.name()).append('\n'));
		ex.sendText(200, text.toString());
	}

}

package org.imageferry.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Glance's {@code limit}/{@code marker} paging: a page ends after the marker's item, and
 * a full page carries a {@code next} link whose marker is its last item.
 */
final class Paging {

	record Page<T>(List<T> items, String next) {
	}

	private Paging() {
	}

	static int limit(Exchange ex, int defaultLimit, int max) {
		String limit = ex.query("limit");
		if (limit == null) {
			return defaultLimit;
		}
		try {
			int n = Integer.parseInt(limit);
			if (n < 0) {
				throw new ApiError(400, "limit param must be positive");
			}
			return Math.min(n, max);
		}
		catch (NumberFormatException ex2) {
			throw new ApiError(400, "limit param must be an integer");
		}
	}

	static <T> Page<T> page(List<T> items, Function<T, String> id, String marker, int limit) {
		int start = 0;
		if (marker != null) {
			int at = -1;
			for (int i = 0; i < items.size() && at < 0; i++) {
				if (id.apply(items.get(i)).equals(marker)) {
					at = i;
				}
			}
			if (at < 0) {
				throw new ApiError(400, "marker not found: " + marker);
			}
			start = at + 1;
		}
		List<T> page = items.subList(Math.min(start, items.size()), Math.min(items.size(), start + limit));
		String next = (limit > 0 && page.size() == limit) ? id.apply(page.get(page.size() - 1)) : null;
		return new Page<>(page, next);
	}

	/**
	 * The request's query with the marker replaced, for {@code first} (no marker) and
	 * {@code next} links.
	 */
	static String query(Exchange ex, String marker) {
		Map<String, String> query = new java.util.LinkedHashMap<>(ex.query());
		query.remove("marker");
		if (marker != null) {
			query.put("marker", marker);
		}
		if (query.isEmpty()) {
			return "";
		}
		return "?" + query.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

}

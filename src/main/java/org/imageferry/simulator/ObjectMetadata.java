package org.imageferry.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An object's user metadata, the {@code X-Object-Meta-*} headers of a PUT, POST or COPY,
 * checked as Swift's {@code constraints.check_metadata} checks them (the limits
 * {@code /info} states) and named as Swift answers them, each word capitalised
 * ({@code X-Object-Meta-Mtime}) whatever case the request used.
 */
final class ObjectMetadata {

	static final String PREFIX = "x-object-meta-";

	static final int MAX_NAME_LENGTH = 128;

	static final int MAX_VALUE_LENGTH = 256;

	static final int MAX_COUNT = 90;

	static final int MAX_OVERALL_SIZE = 4096;

	private ObjectMetadata() {
	}

	/**
	 * @throws ApiError 400 with Swift's text when a name is empty or too long, a value
	 * too long, or there are too many or too much in all
	 */
	static Map<String, String> of(Exchange ex) {
		Map<String, String> metadata = new LinkedHashMap<>();
		int size = 0;
		for (Map.Entry<String, List<String>> header : ex.headers().entrySet()) {
			String key = header.getKey().toLowerCase(Locale.ROOT);
			if (!key.startsWith(PREFIX) || header.getValue().isEmpty()) {
				continue;
			}
			String name = key.substring(PREFIX.length());
			String value = header.getValue().get(0);
			if (name.isEmpty()) {
				throw new ApiError(400, "Metadata name cannot be empty");
			}
			if (name.length() > MAX_NAME_LENGTH) {
				throw new ApiError(400, "Metadata name too long: " + PREFIX + name);
			}
			if (value.length() > MAX_VALUE_LENGTH) {
				throw new ApiError(400, "Metadata value longer than " + MAX_VALUE_LENGTH + ": " + PREFIX + name);
			}
			size += name.length() + value.length();
			metadata.put(titleCase(key), value);
			if (metadata.size() > MAX_COUNT) {
				throw new ApiError(400, "Too many metadata items; max " + MAX_COUNT);
			}
			if (size > MAX_OVERALL_SIZE) {
				throw new ApiError(400, "Total metadata too large; max " + MAX_OVERALL_SIZE);
			}
		}
		return metadata;
	}

	/** {@code x-object-meta-mtime} → {@code X-Object-Meta-Mtime}, as Swift stores it. */
	static String titleCase(String header) {
		StringBuilder title = new StringBuilder(header.length());
		boolean start = true;
		for (char c : header.toCharArray()) {
			title.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
			start = c == '-';
		}
		return title.toString();
	}

}

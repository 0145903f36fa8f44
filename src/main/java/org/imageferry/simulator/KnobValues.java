package org.imageferry.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a {@link Knobs knob}'s value is read, the same from a flag's text, a YAML value or
 * JSON: durations as {@code 500ms}/{@code 2s}/{@code 1m}/{@code 24h}, sizes as
 * {@code 160GB}/{@code 5GiB}, lists as YAML lists or {@code a,b}, maps as YAML maps or
 * {@code key=value,key=value}. Each refusal says what was expected.
 */
final class KnobValues {

	private static final Pattern SIZE = Pattern.compile("(\\d+)([KMGT]i?B)?", Pattern.CASE_INSENSITIVE);

	private KnobValues() {
	}

	static String string(JsonNode value) {
		if (value == null || !value.isValueNode() || value.isNull()) {
			throw new IllegalArgumentException("a single value is expected");
		}
		return value.asText().trim();
	}

	static int integer(JsonNode value) {
		return Math.toIntExact(whole(value));
	}

	static long whole(JsonNode value) {
		try {
			return Long.parseLong(string(value));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + value.asText() + "' is not a whole number");
		}
	}

	static double decimal(JsonNode value) {
		try {
			double d = Double.parseDouble(string(value));
			if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
				throw new NumberFormatException();
			}
			return d;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + value.asText() + "' is not a non-negative number");
		}
	}

	static double rate(JsonNode value) {
		double rate = decimal(value);
		if (rate > 1) {
			throw new IllegalArgumentException("'" + value.asText() + "' is not a share between 0 and 1");
		}
		return rate;
	}

	static boolean bool(JsonNode value) {
		String text = string(value).toLowerCase(Locale.ROOT);
		return switch (text) {
			case "true", "yes", "on" -> true;
			case "false", "no", "off" -> false;
			default -> throw new IllegalArgumentException("'" + value.asText() + "' is not true or false");
		};
	}

	static List<String> strings(JsonNode value) {
		List<String> list = new ArrayList<>();
		if (value.isArray()) {
			value.forEach((v) -> list.add(string(v)));
		}
		else {
			for (String part : string(value).split(",")) {
				if (!part.isBlank()) {
					list.add(part.trim());
				}
			}
		}
		return list;
	}

	static <V> Map<String, V> map(JsonNode value, Function<JsonNode, V> parse) {
		Map<String, V> map = new LinkedHashMap<>();
		if (value.isObject()) {
			value.fields().forEachRemaining((e) -> map.put(e.getKey(), parse.apply(e.getValue())));
			return map;
		}
		for (String pair : strings(value)) {
			int eq = pair.indexOf('=');
			if (eq <= 0) {
				throw new IllegalArgumentException("'" + pair + "' is not key=value");
			}
			map.put(pair.substring(0, eq).trim(),
					parse.apply(Exchange.JSON.getNodeFactory().textNode(pair.substring(eq + 1).trim())));
		}
		return map;
	}

	/** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 24h}; a bare number is seconds. */
	static Duration duration(JsonNode value) {
		String t = string(value).toLowerCase(Locale.ROOT);
		try {
			if (t.endsWith("ms")) {
				return nonNegative(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), t);
			}
			if (t.matches("\\d+")) {
				return Duration.ofSeconds(Long.parseLong(t));
			}
			long n = Long.parseLong(t.substring(0, t.length() - 1));
			return nonNegative(switch (t.charAt(t.length() - 1)) {
				case 's' -> Duration.ofSeconds(n);
				case 'm' -> Duration.ofMinutes(n);
				case 'h' -> Duration.ofHours(n);
				default -> throw new NumberFormatException();
			}, t);
		}
		catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("bad duration '" + t + "' (use 500ms, 2s, 1m, 24h)");
		}
	}

	static Duration nonNegative(Duration duration, String text) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("bad duration '" + text + "': negative");
		}
		return duration;
	}

	/**
	 * A byte count: {@code 1048576000}, {@code 160GB} (10^9), {@code 5GiB} (2^30),
	 * KB/MB/KiB/MiB too.
	 */
	static long bytes(JsonNode value) {
		String t = string(value).replace(" ", "");
		Matcher m = SIZE.matcher(t);
		if (!m.matches()) {
			throw new IllegalArgumentException("bad size '" + t + "' (use 1048576000, 160GB, 5GiB)");
		}
		long n = Long.parseLong(m.group(1));
		String unit = (m.group(2) != null) ? m.group(2).toUpperCase(Locale.ROOT) : "B";
		long factor = switch (unit) {
			case "KB" -> 1_000L;
			case "MB" -> 1_000_000L;
			case "GB" -> 1_000_000_000L;
			case "TB" -> 1_000_000_000_000L;
			case "KIB" -> 1L << 10;
			case "MIB" -> 1L << 20;
			case "GIB" -> 1L << 30;
			case "TIB" -> 1L << 40;
			default -> 1L;
		};
		return Math.multiplyExact(n, factor);
	}

	/** A duration as a knob value is written: {@code 2s}, {@code 500ms}, {@code 24h}. */
	static String text(Duration d) {
		if (d.toMillis() % 1000 != 0) {
			return d.toMillis() + "ms";
		}
		long s = d.toSeconds();
		if (s != 0 && s % 3600 == 0) {
			return (s / 3600) + "h";
		}
		if (s != 0 && s % 60 == 0) {
			return (s / 60) + "m";
		}
		return s + "s";
	}

}

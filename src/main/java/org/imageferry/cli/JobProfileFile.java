package org.imageferry.cli;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.validation.FieldError;

import org.imageferry.job.ConfigurationException;
import org.imageferry.job.FerryProperties;

/**
 * A job profile read before the application context starts, which costs seconds: a file
 * that is not YAML, a key image-ferry does not know (a misspelled {@code poll-intervall}
 * would otherwise be ignored, and the run go on with the default) or a value of the wrong
 * type is refused at once, naming the key and the file. The values are bound as the
 * context binds them — system properties and the environment
 * ({@code IMAGE_FERRY_POLL_INTERVAL}) over the file — so that what is checked before the
 * start is what the run would use. Values that cannot work (the constraints on
 * {@link FerryProperties}) are checked here for {@code run}, and by the application
 * context, which refuses to start with them, for every command: both name each bad key in
 * one message.
 */
public final class JobProfileFile {

	private static final String PREFIX = "image-ferry";

	/**
	 * Spring Boot's own top-level keys, which a profile may set (logging levels, say).
	 */
	private static final Set<String> SPRING_ROOTS = Set.of("spring", "logging", "debug", "trace");

	/** Every key {@link FerryProperties} binds; a map's key admits any key below it. */
	private static final List<Known> KNOWN = known(PREFIX, FerryProperties.class);

	private JobProfileFile() {
	}

	/**
	 * @throws ConfigurationException when the file cannot be read or parsed, names
	 * unknown keys, or holds a value that cannot be bound
	 */
	public static FerryProperties load(Path file) {
		List<PropertySource<?>> documents;
		try {
			documents = new YamlPropertySourceLoader().load("job profile " + file, new FileSystemResource(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new ConfigurationException("job profile " + file + " is not valid YAML: " + rootMessage(ex));
		}
		List<String> unknown = new ArrayList<>();
		for (PropertySource<?> document : documents) {
			if (document instanceof EnumerablePropertySource<?> keys) {
				for (String key : keys.getPropertyNames()) {
					if (!known(key)) {
						unknown.add(describe(key, document));
					}
				}
			}
		}
		if (!unknown.isEmpty()) {
			throw new ConfigurationException(
					"job profile " + file + " has " + ((unknown.size() == 1) ? "a key" : unknown.size() + " keys")
							+ " image-ferry does not know (misspelled?):\n  " + String.join("\n  ", unknown));
		}
		List<PropertySource<?>> sources = new ArrayList<>();
		sources.add(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
				toMap(System.getProperties())));
		sources.add(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new HashMap<>(System.getenv())));
		sources.addAll(documents);
		try {
			return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate(PREFIX, FerryProperties.class);
		}
		catch (RuntimeException ex) {
			throw new ConfigurationException("job profile " + file + ": " + bindFailure(ex));
		}
	}

	private static String invalid(Stream<String> problems) {
		return "invalid job profile:\n  " + String.join("\n  ", problems.sorted().toList());
	}

	/**
	 * {@code image-ferry.set-properties.os_type cannot be set: ...} for the path
	 * {@code setProperties[os_type]}: the key as the profile writes it, then the message.
	 */
	private static String problem(String path, String message) {
		StringBuilder key = new StringBuilder(PREFIX);
		Matcher part = java.util.regex.Pattern.compile("([^.\\[]+)|\\[([^]]*)]").matcher(path);
		while (part.find()) {
			String index = part.group(2);
			key.append((part.group(1) != null) ? "." + kebab(part.group(1))
					: (index.matches("\\d+")) ? "[" + index + "]" : "." + index);
		}
		return key + " " + message;
	}

	private static boolean known(String key) {
		// any element of a list is known as its first is (targets[2].region)
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key.replaceAll("\\[\\d+]", "[0]"), '.');
		if (name.isEmpty()) {
			return false;
		}
		String root = name.getElement(0, ConfigurationPropertyName.Form.UNIFORM);
		if (SPRING_ROOTS.contains(root)) {
			return true;
		}
		return KNOWN.stream().anyMatch((k) -> k.admits(name));
	}

	/**
	 * {@code line 12: image-ferry.poll-intervall (did you mean image-ferry.poll-interval?)}.
	 */
	private static String describe(String key, PropertySource<?> document) {
		String where = "";
		if (document instanceof OriginLookup<?> lookup) {
			@SuppressWarnings("unchecked")
			Origin origin = ((OriginLookup<String>) lookup).getOrigin(key);
			if (origin instanceof TextResourceOrigin text && text.getLocation() != null) {
				where = "line " + (text.getLocation().getLine() + 1) + ": ";
			}
		}
		String closest = KNOWN.stream()
			.map(Known::text)
			.min(Comparator.comparingInt((k) -> edits(k, key)))
			.filter((k) -> edits(k, key) <= Math.max(2, key.length() / 8))
			.orElse(null);
		return where + key + ((closest != null) ? " (did you mean " + closest + "?)" : "");
	}

	/**
	 * The edits from a key written in the profile to a known one; a key written outside
	 * {@code image-ferry:} (indented wrongly) is compared as if inside.
	 */
	private static int edits(String known, String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		return Math.min(distance(known, lower), distance(known, PREFIX + "." + lower));
	}

	/** Levenshtein distance: the edits between a misspelled key and a known one. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitute = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * The keys of a record bound from configuration: its components in kebab case, a
	 * nested record's below its own, a map's as a prefix.
	 */
	private static List<Known> known(String prefix, Class<?> type) {
		List<Known> known = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			String key = prefix + "." + kebab(component.getName());
			if (component.getType().isRecord()) {
				known.addAll(known(key, component.getType()));
			}
			else if (List.class.isAssignableFrom(component.getType())
					&& component.getGenericType() instanceof ParameterizedType list
					&& list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
				// a list of records (targets): its elements' keys, as the first element's
				known.addAll(known(key + "[0]", element));
			}
			else {
				boolean map = Map.class.isAssignableFrom(component.getType())
						&& component.getGenericType() instanceof ParameterizedType;
				known.add(new Known(key, ConfigurationPropertyName.of(key), map));
			}
		}
		return List.copyOf(known);
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static Map<String, Object> toMap(Properties properties) {
		Map<String, Object> map = new HashMap<>();
		properties.stringPropertyNames().forEach((n) -> map.put(n, properties.getProperty(n)));
		return map;
	}

	/** Names the profile key and value when one could not be bound. */
	public static String bindFailure(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof BindValidationException validation) {
				return invalid(validation.getValidationErrors()
					.getAllErrors()
					.stream()
					.map((error) -> (error instanceof FieldError field)
							? problem(field.getField(), field.getDefaultMessage()) : error.getDefaultMessage()));
			}
			if (t instanceof BindException bind && bind.getProperty() != null) {
				ConfigurationProperty property = bind.getProperty();
				return property.getName() + " = '" + property.getValue() + "' is not valid"
						+ ((property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "") + ": "
						+ rootMessage(ex);
			}
		}
		return rootMessage(ex);
	}

	static String rootMessage(Throwable ex) {
		Throwable t = ex;
		while (t.getCause() != null) {
			t = t.getCause();
		}
		return (t.getMessage() != null) ? t.getMessage() : t.toString();
	}

	/**
	 * A key {@link FerryProperties} binds: a key written in the profile is known when it
	 * is this one, lies above it ({@code image-ferry:} alone), or below a map's.
	 */
	private record Known(String text, ConfigurationPropertyName name, boolean map) {

		boolean admits(ConfigurationPropertyName key) {
			return key.equals(this.name) || key.isAncestorOf(this.name) || (this.map && this.name.isAncestorOf(key));
		}

	}

}

package org.imageferry.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.imageferry.cloud.ProtectedProperties;
import org.imageferry.ingest.Provenance;

/**
 * {@code set-properties} holds properties to add: not a key Rackspace protects (the patch
 * would be refused whole), the provenance, or a field copied from the source. Each bad
 * key is one violation at {@code set-properties[key]}, saying why.
 */
@Documented
@Constraint(validatedBy = SettableProperties.Keys.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface SettableProperties {

	String message() default "cannot be set";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks the keys of the map, in order, one violation per bad key. */
	class Keys implements ConstraintValidator<SettableProperties, Map<String, String>> {

		private static final Set<String> IMAGE_FIELDS = Set.of("name", "tags", "min_disk", "min_ram", "protected");

		@Override
		public boolean isValid(Map<String, String> properties, ConstraintValidatorContext context) {
			if (properties == null) {
				return true;
			}
			boolean valid = true;
			for (String key : new TreeSet<>(properties.keySet())) {
				String why = refusal(key);
				if (why != null) {
					valid = false;
					context.disableDefaultConstraintViolation();
					context.buildConstraintViolationWithTemplate(literal("cannot be set: " + why))
						.addBeanNode()
						.inIterable()
						.atKey(key)
						.addConstraintViolation();
				}
			}
			return valid;
		}

		private static String refusal(String key) {
			if (ProtectedProperties.isProtected(key)) {
				return "Rackspace protects '" + key + "' (a patch that sets it is refused whole); remove it";
			}
			if (key.equals(Provenance.PROPERTY)) {
				return "image-ferry sets it to where the image came from; remove it";
			}
			if (IMAGE_FIELDS.contains(key)) {
				return "'" + key + "' is an image field, not a property; remove it";
			}
			return null;
		}

		/** A message template that says exactly {@code text}, whatever the key holds. */
		private static String literal(String text) {
			return text.replaceAll("([\\\\{}$])", "\\\\$1");
		}

	}

}

package org.imageferry.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields: commas separate, double quotes enclose a field that
 * may hold commas, and a doubled quote inside stands for one quote (RFC 4180). A record
 * spanning lines is not supported.
 */
final class CsvLine {

	private CsvLine() {
	}

	static List<String> split(String line) {
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		boolean wasQuoted = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
				quoted = true;
				wasQuoted = true;
				field.setLength(0);
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
				wasQuoted = false;
			}
			else if (wasQuoted && !Character.isWhitespace(c)) {
				throw new IllegalArgumentException("text after a closing quote at column " + (i + 1));
			}
			else if (!wasQuoted) {
				field.append(c);
			}
		}
		if (quoted) {
			throw new IllegalArgumentException("unterminated quoted field");
		}
		fields.add(field.toString());
		return fields;
	}

}

package org.imageferry.manifest;

import java.util.List;

/**
 * A parsed manifest: the lines to migrate, the lines refused with their reasons, and the
 * SHA-256 of the file, which identifies the run.
 */
public record Manifest(String sha256, List<ManifestEntry> entries, List<ManifestProblem> problems,
		List<String> warnings) {

	public Manifest {
		entries = List.copyOf(entries);
		problems = List.copyOf(problems);
		warnings = List.copyOf(warnings);
	}

}

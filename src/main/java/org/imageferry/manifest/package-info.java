/**
 * The manifest: a CSV file of image UUIDs (and optional target names) read into entries,
 * with line-numbered problems for lines that cannot be migrated and a refusal for a file
 * that is not a manifest at all. Hostile input is expected: encodings, control
 * characters, sizes and quoting are checked here.
 * <p>
 * It imports no other image-ferry package: it knows text, not the cloud nor the job.
 */
package org.imageferry.manifest;

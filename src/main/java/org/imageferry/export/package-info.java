/**
 * A stage: pre-flight checks of each image in the source region (it exists, the user owns
 * it, it is active, exportable and within the size limit, or already migrated by its
 * provenance) and the start of export tasks.
 * <p>
 * A stage imports no other stage ({@code transfer}, {@code ingest}): stages meet in the
 * ledger. A stage imports neither {@code job}, {@code cli} nor {@code report}: the pump
 * calls it. A stage reaches the cloud only through {@code cloud}, with no HTTP client or
 * OpenStack4j of its own. Known exception: {@code Preflight} reads
 * {@code ingest.Provenance}, the property finishing writes and pre-flight looks for.
 */
package org.imageferry.export;

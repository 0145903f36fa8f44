/**
 * A stage: the start of import tasks in the target region, and finishing — the metadata
 * copied with one JSON-patch {@code PATCH} (refused keys found by narrowing), the
 * provenance property, and the clean-up of the exported objects, with leftovers swept by
 * later runs.
 * <p>
 * A stage imports no other stage ({@code export}, {@code transfer}): stages meet in the
 * ledger. A stage imports neither {@code job}, {@code cli} nor {@code report}: the pump
 * calls it. A stage reaches the cloud only through {@code cloud}, with no HTTP client or
 * OpenStack4j of its own. Known exception: the patch is built from OpenStack4j's
 * {@code PatchOperation}, the value type {@code cloud.ImagesClient} sends.
 */
package org.imageferry.ingest;

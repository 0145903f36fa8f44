/**
 * The ledger: one row per image and route ({@code FERRY_IMAGE}: its state from
 * {@code PENDING} to {@code MIGRATED} or {@code FAILED}, task ids, bytes moved, failure
 * code, leftovers) and one per manifest line of a run ({@code FERRY_RUN_ITEM}). It is the
 * process indicator: the stages meet here, and restarts and nightly re-runs read it. Its
 * changes are committed in the pipeline's own transactions, so a killed process leaves
 * the truth on disk; the column names stay inside this package.
 * <p>
 * Of image-ferry it imports only {@code manifest} (the entries it records): no stage, no
 * {@code cloud}, no {@code job}, so what an image's state means does not depend on how
 * the stages do their work. It knows nothing of Spring Batch: restart state that outlives
 * a step is here, in a table, not in a step's execution context.
 */
package org.imageferry.ledger;

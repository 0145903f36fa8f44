/**
 * A stage: the copy of an exported Dynamic Large Object from the source region's Cloud
 * Files to the target's, segment by segment, streamed and MD5-checked, resumable at
 * segment granularity; and the check of the VHD by range reads before anything is copied,
 * as Rackspace's import will check it.
 * <p>
 * A stage imports no other stage ({@code export}, {@code ingest}): stages meet in the
 * ledger. A stage imports neither {@code job}, {@code cli} nor {@code report}: the pump
 * calls it. A stage reaches the cloud only through {@code cloud}, with no HTTP client or
 * OpenStack4j of its own.
 */
package org.imageferry.transfer;

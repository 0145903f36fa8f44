/**
 * Workers: the copies of a run shared by processes on several hosts through Spring
 * Batch's remote partitioning. The manager's {@code copy} step hands each worker a slot
 * over channels backed by the shared database; a worker ({@code worker --job …}) runs its
 * slot as a loop of leased copies ({@code LeasedCopies}) until the run has nothing left
 * to copy or the manager's run ends. The work itself is not partitioned: the ledger's
 * leases share it, so a dead worker's images go to the living once its leases expire.
 * <p>
 * It builds on {@code job} (the profile, the route, the step names) and the
 * {@code transfer} stage, and meets the rest in the ledger; {@code job} does not import
 * it (the manager step joins the job by its name), nor does any stage. It imports no
 * {@code cli}, and never {@code simulator}.
 */
package org.imageferry.worker;

/**
 * The Spring Batch job and its wiring: the three steps ({@code load}, {@code preflight},
 * {@code migrate}; their names are restart keys), the job parameters that identify a run,
 * the job profile ({@code FerryProperties}), the route (source and target sides), the
 * {@code migrate} step's pipeline ({@code MigrationPump}) and the finishing batches it
 * runs beside its cycles.
 * <p>
 * It builds the stages and hands them their work; it imports no {@code cli} (the commands
 * start the job, not the other way round) and never {@code simulator}.
 */
package org.imageferry.job;

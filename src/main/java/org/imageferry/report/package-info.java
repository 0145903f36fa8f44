/**
 * What a run tells its operator: the outcome and status tables, the CSV, JSON and HTML
 * reports (with the timeline and the pauses of a restarted run), and the Micrometer
 * meters written as a Prometheus textfile or pushed to a Pushgateway.
 * <p>
 * It imports no stage ({@code export}, {@code await}, {@code transfer}, {@code ingest}),
 * nor {@code job} or {@code cli}: it formats what the ledger and the job repository hold,
 * so a report can be written again for any run without running anything.
 */
package org.imageferry.report;

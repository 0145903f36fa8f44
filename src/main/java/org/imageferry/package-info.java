/**
 * image-ferry: moves VM images between Rackspace regions, exactly once per image. This
 * package owns the entry point only: {@code ImageFerryApplication} checks the command
 * line, the profile and the manifest before Spring starts, then runs a {@code cli}
 * command and turns its outcome into the exit code cron and systemd read.
 * <p>
 * Follow one image by reading the packages in order: {@code manifest} (a CSV line),
 * {@code ledger} (its state), {@code export}, {@code await}, {@code transfer},
 * {@code ingest} (the new image id), driven by {@code job}, started by {@code cli},
 * reported by {@code report}, all talking to the cloud through {@code cloud}.
 * <p>
 * Boundaries that hold for every package, checked by {@code ArchitectureTests}:
 * <ul>
 * <li>The product never depends on the simulator: no class outside {@code simulator} and
 * {@code demo} imports {@code simulator}, so a user pointing at the real cloud loads none
 * of it.</li>
 * <li>No class imports {@code demo}: it is a main class of its own.</li>
 * <li>There are no cycles between packages.</li>
 * </ul>
 */
package org.imageferry;

/**
 * The bytes of the simulated cloud's objects: synthetic VHDs generated on read, slices of
 * them for exported segments, uploads kept in memory, on disk or as a digest only, so
 * images of tens of gigabytes cost neither disk nor memory.
 * <p>
 * It is part of the simulator and keeps its rules: of the product it imports only
 * {@code vhd}, and it uses no Spring.
 */
package org.imageferry.simulator.content;

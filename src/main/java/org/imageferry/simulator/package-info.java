/**
 * The simulated Rackspace cloud — Identity v2.0, Cloud Images v2 (images and tasks) and
 * Cloud Files for several regions and accounts on loopback, with Rackspace's rules, fault
 * injection and inspection — for the demo and the tests. The product never depends on it.
 * <p>
 * Of the product it imports only {@code vhd}, whose structures write its synthetic
 * images; its import check, {@code VhdCheck}, imports not even that, so a bug in
 * {@code vhd} cannot hide by being on both sides. It uses no Spring: it starts in
 * milliseconds in a test and from the jar alone ({@code scripts/simulate}).
 */
package org.imageferry.simulator;

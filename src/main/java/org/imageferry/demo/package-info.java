/**
 * The demo: an embedded simulated cloud, seeded with four images, and the real command
 * line run against it ({@code scripts/demo}).
 * <p>
 * With the tests, it is the only place that imports {@code simulator}; no class imports
 * {@code demo}.
 */
package org.imageferry.demo;

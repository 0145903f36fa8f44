/**
 * The command line: the commands ({@code run}, {@code restart}, {@code status},
 * {@code stop}, {@code report}, a dry run), their parsing and usage texts, the exit
 * codes, the job repository's run lock, the live progress line, signals turned into a
 * clean stop, and the pre-start check of the job profile.
 * <p>
 * It is the top of the product and may import any of its packages (never
 * {@code simulator}). Only the root package imports {@code cli}: nothing the commands
 * drive knows how it was started.
 */
package org.imageferry.cli;

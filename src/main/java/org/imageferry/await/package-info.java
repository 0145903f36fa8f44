/**
 * The task lifecycle the two task stages share: exactly-once task creation (the intent
 * committed before the {@code POST}, an orphan task adopted by its input), polling by one
 * paced listing per region, deadlines, the learned cap on tasks in flight per region, and
 * the workers that make many images' API calls at once.
 * <p>
 * It imports no stage ({@code export}, {@code transfer}, {@code ingest}): the stages use
 * it. Like a stage, it imports neither {@code job}, {@code cli} nor {@code report}, and
 * reaches the cloud only through {@code cloud}.
 */
package org.imageferry.await;

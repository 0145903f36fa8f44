/**
 * The cloud: Rackspace identity (tokens, the catalog, credentials from the environment or
 * an owner-only file), Images v2 (images, tasks, the JSON patch) through OpenStack4j on
 * the JDK HttpClient, Cloud Files (listings, streamed segment bodies, bulk deletes,
 * pacing), TLS trust, retries with {@code Retry-After}, and typed errors that tell
 * transient from permanent.
 * <p>
 * It imports no other image-ferry package: it knows HTTP and Rackspace, and can be tested
 * and replaced without a job. It knows nothing of Spring Batch.
 */
package org.imageferry.cloud;

package org.imageferry.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.imageferry.cloud.CloudException;
import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.SwiftClient;

/**
 * Copies one object between two Cloud Files endpoints as a stream: GET from the source
 * piped into a PUT to the target by the calling thread, which reads, digests and writes
 * through one buffer ({@link SwiftClient#download}, {@link SwiftClient#put}) — nothing on
 * disk, never the whole object in memory. The source ETag is sent with the PUT, so Cloud
 * Files refuses (422) a body that arrives different, and the MD5 of what was read is
 * checked as well. A failed copy is retried, whole, with backoff. The bytes are counted
 * as they stream ({@link StreamedBytes}), for the progress line's rate, and held there to
 * the process's {@link BandwidthCap}, which every copier of the process shares.
 */
public final class SegmentCopier {

	private final int attempts;

	private final Duration backoff;

	private final MeterRegistry meters;

	private final BandwidthCap cap;

	private final Tags tags;

	/**
	 * @param cap the process's one bandwidth cap, shared by all its copies
	 */
	public SegmentCopier(int attempts, Duration backoff, MeterRegistry meters, BandwidthCap cap) {
		this(attempts, backoff, meters, cap, Tags.empty());
	}

	/**
	 * @param tags added to the copy's meters: a worker's name ({@code worker}), so that
	 * what each host's link carried can be told apart
	 */
	public SegmentCopier(int attempts, Duration backoff, MeterRegistry meters, BandwidthCap cap, Tags tags) {
		this.attempts = attempts;
		this.backoff = backoff;
		this.meters = meters;
		this.cap = cap;
		this.tags = tags;
	}

	public void copy(SwiftClient from, String fromContainer, SwiftClient to, String toContainer, ObjectInfo segment) {
		CloudException last = null;
		for (int attempt = 1; attempt <= this.attempts; attempt++) {
			try {
				long started = System.nanoTime();
				copyOnce(from, fromContainer, to, toContainer, segment);
				Timer.builder("image.ferry.segment.transfer")
					.description("Time to copy one segment between regions")
					.tag("source", from.region())
					.tag("target", to.region())
					.tags(this.tags)
					.register(this.meters)
					.record(Duration.ofNanos(System.nanoTime() - started));
				Counter.builder("image.ferry.transfer.bytes")
					.baseUnit("bytes")
					.description("Bytes copied between regions")
					.tag("source", from.region())
					.tag("target", to.region())
					.tags(this.tags)
					.register(this.meters)
					.increment(segment.bytes());
				return;
			}
			catch (CloudException ex) {
				if (!ex.retryable() || ex.unauthorized()) {
					throw ex;
				}
				last = ex;
				sleep(attempt, ex.retryAfter());
			}
		}
		throw last;
	}

	private void copyOnce(SwiftClient from, String fromContainer, SwiftClient to, String toContainer,
			ObjectInfo segment) {
		StreamedBytes.Counting streamed = StreamedBytes.counting(from.download(fromContainer, segment.name()),
				this.cap);
		try {
			send(streamed, to, toContainer, segment);
		}
		catch (RuntimeException ex) {
			streamed.takeBack();
			throw ex;
		}
	}

	private void send(InputStream source, SwiftClient to, String toContainer, ObjectInfo segment) {
		MessageDigest md5 = md5();
		try (InputStream body = new DigestInputStream(source, md5)) {
			String etag = to.put(toContainer, segment.name(), segment.bytes(), body, segment.etag());
			String read = HexFormat.of().formatHex(md5.digest());
			if (!read.equals(segment.etag())) {
				throw CloudException.retryable(
						"segment " + segment.name() + " read with MD5 " + read + " but its ETag says " + segment.etag(),
						0, null, null);
			}
			if (!etag.equals(segment.etag())) {
				throw CloudException.retryable(
						"segment " + segment.name() + " stored with ETag " + etag + ", expected " + segment.etag(), 0,
						null, null);
			}
		}
		catch (IOException ex) {
			throw CloudException.retryable("copy of " + segment.name() + " was cut: " + ex.getMessage(), 0, null, ex);
		}
	}

	/** Exponential backoff with jitter, but at least what a {@code Retry-After} asked. */
	private void sleep(int attempt, Duration retryAfter) {
		long base = this.backoff.toMillis() << Math.min(attempt - 1, 6);
		long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
		long wait = Math.max(base + jitter, (retryAfter != null) ? retryAfter.toMillis() : 0);
		try {
			Thread.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CloudException("transfer interrupted", 0, false, null, ex);
		}
	}

	static MessageDigest md5() {
		try {
			return MessageDigest.getInstance("MD5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

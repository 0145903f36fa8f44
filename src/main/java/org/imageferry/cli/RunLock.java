package org.imageferry.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time per data directory: an OS file lock, released when the process ends
 * however it ends (a killed run leaves no stale lock behind).
 */
final class RunLock implements AutoCloseable {

	private final FileChannel channel;

	private final FileLock lock;

	private RunLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * @return the lock, or null when another process holds it
	 */
	static RunLock tryAcquire(Path dataDir) throws IOException {
		Files.createDirectories(dataDir);
		FileChannel channel = FileChannel.open(dataDir.resolve("image-ferry.lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		FileLock lock;
		try {
			lock = channel.tryLock();
		}
		catch (java.nio.channels.OverlappingFileLockException ex) {
			lock = null;
		}
		if (lock == null) {
			channel.close();
			return null;
		}
		return new RunLock(channel, lock);
	}

	/**
	 * Whether a process (this one included) holds the lock: what tells a run in progress
	 * from one whose process is gone, since a killed process leaves its execution
	 * {@code STARTED} in the job repository but no lock. A free lock is taken for a
	 * moment to find out; a run starting in that moment exits 75 as if two had started at
	 * once.
	 */
	static boolean held(Path dataDir) throws IOException {
		try (RunLock lock = tryAcquire(dataDir)) {
			return lock == null;
		}
	}

	@Override
	public void close() throws IOException {
		this.lock.release();
		this.channel.close();
	}

}

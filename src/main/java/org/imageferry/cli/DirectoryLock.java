package org.imageferry.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The run lock of a job repository in an H2 file in the data directory: an OS file lock
 * beside it, released when the process ends however it ends (a killed run leaves no stale
 * lock behind). Only processes on this host open that file, so only they need to see it.
 */
record DirectoryLock(Path dataDir) implements RunLock {

	@Override
	public Held tryAcquire() throws IOException {
		FileChannel channel;
		try {
			Files.createDirectories(this.dataDir);
			channel = FileChannel.open(this.dataDir.resolve("image-ferry.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new IOException("cannot lock " + place() + ": " + ex.getMessage(), ex);
		}
		FileLock lock;
		try {
			lock = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			lock = null;
		}
		if (lock == null) {
			channel.close();
			return null;
		}
		FileLock held = lock;
		return () -> {
			held.release();
			channel.close();
		};
	}

	/**
	 * A free lock is taken for a moment to find out; a run starting in that moment exits
	 * 75 as if two had started at once.
	 */
	@Override
	public Optional<String> holder() throws IOException {
		Held free = tryAcquire();
		if (free == null) {
			return Optional.of("a process");
		}
		free.close();
		return Optional.empty();
	}

	@Override
	public String refusal() {
		return "another image-ferry run holds the lock of " + place();
	}

	@Override
	public String place() {
		return this.dataDir.toAbsolutePath().toString();
	}

	@Override
	public String repository() {
		return "this data directory";
	}

}

package org.imageferry.testsupport;

import java.util.List;

import org.imageferry.cloud.ObjectInfo;
import org.imageferry.cloud.Side;
import org.imageferry.cloud.StorageAccount;
import org.imageferry.cloud.SwiftClient;

/**
 * The two ends of a copy — a source account's Cloud Files and a target account's — on one
 * backend, the simulated cloud or a real Swift ({@link Backend}), each with a container
 * of its own for one test. The data-path tests run their bodies on both: what passes on
 * the simulator must pass on Swift. Beside the product's clients it offers what a test
 * needs to prepare and observe the backend by other means than the code under test:
 * objects put and exports made, what the target stores, the requests served.
 */
public interface SwiftBackend extends AutoCloseable {

	/** Which end of the copy a request went to. */
	enum End {

		SOURCE, TARGET

	}

	/** A request the backend served, as the backend saw it. */
	record Served(End end, String method, String container, String object, int status) {
	}

	/** The product's client of the source account (region "DFW"). */
	SwiftClient source();

	/** The product's client of the target account (region "IAD"). */
	SwiftClient target();

	/** The source's container for this test, existing (the exports). */
	String sourceContainer();

	/** The target's container for this test, existing (the imports). */
	String targetContainer();

	StorageAccount sourceAccount();

	StorageAccount targetAccount();

	/** The source end as the job sees it: region, client, container. */
	Side sourceSide();

	Side targetSide();

	/** Plain HTTP to the source account. */
	default SwiftHttp sourceHttp() {
		return new SwiftHttp(sourceAccount(), source().region());
	}

	/** Plain HTTP to the target account. */
	default SwiftHttp targetHttp() {
		return new SwiftHttp(targetAccount(), target().region());
	}

	/**
	 * Puts {@code bytes} as an object of the source container (not through the client
	 * under test).
	 * @return the object as its listing shows it
	 */
	ObjectInfo put(String name, byte[] bytes);

	/**
	 * Exports a fixed VHD of {@code size} bytes into the source container as Cloud Files'
	 * exports are: segments {@code <id>.vhd-00001}… of the backend's segment size and a
	 * Dynamic Large Object manifest {@code <id>.vhd}.
	 * @return the segments, in order
	 */
	List<ObjectInfo> export(long size) throws Exception;

	/** The objects the target container holds, as the backend itself tells. */
	List<ObjectInfo> targetObjects();

	/** The MD5 of the bytes the target container holds under {@code name}. */
	String storedMd5(String name);

	/** Every request to an object in this test's containers, oldest first. */
	List<Served> served();

	/**
	 * Runs {@code work} and answers how many uploads to the target container were in
	 * progress at once, at most.
	 */
	int mostConcurrentUploads(Runnable work);

	@Override
	void close();

}

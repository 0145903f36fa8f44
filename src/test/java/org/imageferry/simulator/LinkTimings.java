package org.imageferry.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Timing transfers across the simulated hosts' links: several at once, each timed by its
 * client, and their rates held against what the links allow.
 */
final class LinkTimings {

	private LinkTimings() {
	}

	/** Runs the transfers at once, each on its own thread; their results in order. */
	@SafeVarargs
	static List<Transfer> together(Supplier<Transfer>... transfers) throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<Transfer>> running = new ArrayList<>();
		for (Supplier<Transfer> transfer : transfers) {
			running.add(CompletableFuture.supplyAsync(() -> {
				await(go);
				return transfer.get();
			}, (r) -> new Thread(r).start()));
		}
		go.countDown();
		List<Transfer> done = new ArrayList<>();
		for (CompletableFuture<Transfer> t : running) {
			done.add(t.get(30, TimeUnit.SECONDS));
		}
		return done;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A download by curl: {@code -w} gives its bytes and its own time. */
	static Transfer curl(String... args) {
		List<String> command = new ArrayList<>(List.of("curl", "-s", "-f", "-o", "/dev/null", "-w",
				"%{size_download} %{time_pretransfer} %{time_total}"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			assertThat(process.waitFor()).as(out).isZero();
			String[] words = out.split(" ");
			long nanos = (long) ((Double.parseDouble(words[2]) - Double.parseDouble(words[1])) * 1e9);
			return new Transfer(Long.parseLong(words[0]), 0, nanos);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Transfers' rates and what each should be, within 10 %. A busy machine (tests run
	 * beside other builds) can make a transfer slower than its link, or one of two
	 * sharing a link start late and have it alone a while, but nothing goes faster than
	 * its link: a rate over its link fails at once, while other misses are measured
	 * again, up to three times in all.
	 */
	static final class Rates {

		private static final int ATTEMPTS = 3;

		private final Callable<List<Transfer>> run;

		private final Map<String, ToDoubleFunction<List<Transfer>>> rates = new LinkedHashMap<>();

		private final Map<String, Double> expected = new LinkedHashMap<>();

		private final Map<String, Double> links = new LinkedHashMap<>();

		private List<Transfer> transfers;

		Rates(Callable<List<Transfer>> run) throws Exception {
			this.run = run;
			this.transfers = run.call();
		}

		/** A rate that is a whole link's. */
		Rates of(String what, ToDoubleFunction<List<Transfer>> rate, double link) {
			return share(what, rate, link, link);
		}

		/** A rate that is a share of a link. */
		Rates share(String what, ToDoubleFunction<List<Transfer>> rate, double bytesPerSecond, double link) {
			this.rates.put(what, rate);
			this.expected.put(what, bytesPerSecond);
			this.links.put(what, link);
			return this;
		}

		/**
		 * @return the transfers last measured
		 */
		List<Transfer> verify() throws Exception {
			for (int attempt = 1;; attempt++) {
				boolean missed = false;
				for (String what : this.rates.keySet()) {
					double rate = this.rates.get(what).applyAsDouble(this.transfers);
					assertThat(rate).as(what + " never goes over its link")
						.isLessThanOrEqualTo(this.links.get(what) * 1.1);
					missed |= Math.abs(rate - this.expected.get(what)) > this.expected.get(what) * 0.1;
				}
				if (!missed || attempt == ATTEMPTS) {
					break;
				}
				this.transfers = this.run.call();
			}
			for (String what : this.rates.keySet()) {
				assertThat(this.rates.get(what).applyAsDouble(this.transfers)).as(what)
					.isCloseTo(this.expected.get(what), withinPercentage(10));
			}
			return this.transfers;
		}

	}

	/** Bytes moved between two instants of {@link System#nanoTime()}. */
	record Transfer(long bytes, long started, long ended) {

		double rate() {
			return this.bytes * 1e9 / (this.ended - this.started);
		}

		static double aggregate(List<Transfer> transfers) {
			long bytes = transfers.stream().mapToLong(Transfer::bytes).sum();
			long first = transfers.stream().mapToLong(Transfer::started).min().orElseThrow();
			long last = transfers.stream().mapToLong(Transfer::ended).max().orElseThrow();
			return bytes * 1e9 / (last - first);
		}

	}

}

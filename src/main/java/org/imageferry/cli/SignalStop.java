package org.imageferry.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;

/**
 * While a run or restart is under way, SIGINT (Ctrl-C) and SIGTERM (systemd's stop) do
 * what {@code stop} does ({@link StopRequest}): the run ends STOPPED at its next cycle
 * with its work recorded, and the command ends as after {@code stop} — outcome table,
 * reports, the resume hint, exit 1. A second signal quits at once (exit 130), leaving
 * what a killed process leaves: {@code restart} recovers it.
 * <p>
 * Signal handlers rather than a JVM shutdown hook (spring-batch's
 * {@code JobExecutionShutdownHook}): once the JVM shuts down, H2 closes the database from
 * its own hook ({@code DB_CLOSE_ON_EXIT}) and Spring Boot closes the context from
 * another, concurrently with any hook of ours, so the checkpoint could no longer be
 * written; and the exit status would be 130 or 143 instead of the documented 1. Handling
 * the signal keeps the JVM up until the run has stopped. The wait is bounded all the same
 * ({@link #grace}): a cycle stuck past it (a cloud that does not answer) must not outlast
 * systemd's stop timeout, which would kill the process without a word. A signal ignored
 * when the process started ({@code nohup}, a background command of a script) stays
 * ignored.
 */
final class SignalStop implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SignalStop.class);

	/** The exit status of a second signal: the shell's for an interrupted command. */
	static final int QUIT_AT_ONCE = 130;

	/** Beyond the wait for the next poll: the cycle that reads the stop request. */
	private static final Duration CYCLE = Duration.ofSeconds(45);

	private final Supplier<JobExecution> running;

	private final StopRequest stop;

	private final Duration grace;

	private final PrintStream err;

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	private final AtomicInteger received = new AtomicInteger();

	private final CountDownLatch ended = new CountDownLatch(1);

	private SignalStop(Supplier<JobExecution> running, StopRequest stop, Duration grace, PrintStream err) {
		this.running = running;
		this.stop = stop;
		this.grace = grace;
		this.err = err;
	}

	/**
	 * Handles SIGINT and SIGTERM until closed.
	 * @param instance the run's job instance (null until a new run has created it)
	 * @param pollInterval the profile's: a run reads a stop request once its pause until
	 * the next poll has ended
	 */
	static SignalStop install(JobRepository jobRepository, Supplier<JobInstance> instance, Duration pollInterval) {
		JobExecution before = lastExecution(jobRepository, instance.get());
		long after = (before != null) ? before.getId() : 0;
		Supplier<JobExecution> running = () -> {
			JobExecution last = lastExecution(jobRepository, instance.get());
			return (last != null && last.getId() > after && last.getStatus().isRunning()) ? last : null;
		};
		SignalStop signals = new SignalStop(running, new StopRequest(jobRepository), grace(pollInterval), System.err);
		for (String name : new String[] { "INT", "TERM" }) {
			signals.handle(new Signal(name));
		}
		return signals;
	}

	/**
	 * How long a signalled run may take to stop: until its next poll, and the cycle after
	 * it. 75 s with the default 30 s polls, inside systemd's default stop timeout of 90
	 * s.
	 */
	static Duration grace(Duration pollInterval) {
		return pollInterval.plus(CYCLE);
	}

	private static JobExecution lastExecution(JobRepository jobRepository, JobInstance instance) {
		return (instance != null) ? jobRepository.getLastJobExecution(instance) : null;
	}

	private void handle(Signal signal) {
		try {
			this.previous.put(signal, Signal.handle(signal, this::received));
		}
		catch (IllegalArgumentException ex) {
			// the JVM keeps the signal for itself (-Xrs): it ends the process as before
			log.debug("cannot handle SIG{}: {}", signal.getName(), ex.getMessage());
		}
	}

	/** Runs on a thread of its own, which the JVM starts for each signal. */
	private void received(Signal signal) {
		if (this.ended.getCount() == 0) {
			passOn(signal);
			return;
		}
		if (this.received.getAndIncrement() > 0) {
			this.err.println("image-ferry: quitting at once; `restart` resumes the run");
			this.err.flush();
			Runtime.getRuntime().halt(QUIT_AT_ONCE);
		}
		this.err.println(signal.getName().equals("INT")
				? "image-ferry: stopping after the current cycle... press Ctrl-C again to quit at once"
				: "image-ferry: SIG" + signal.getName() + ": stopping after the current cycle...");
		long deadline = System.nanoTime() + this.grace.toNanos();
		try {
			requestStop(deadline);
			if (!this.ended.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				this.err.println("image-ferry: the run did not stop within " + this.grace.toSeconds()
						+ " s; quitting; `restart` resumes it");
				this.err.flush();
				Runtime.getRuntime().halt(ExitCodes.RUN_FAILED);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Marks the run's execution STOPPING; one that is being launched is waited for (a
	 * restart first recovers the execution a killed process left running).
	 */
	private void requestStop(long deadline) throws InterruptedException {
		while (System.nanoTime() < deadline) {
			try {
				JobExecution execution = this.running.get();
				if (execution != null) {
					this.stop.send(execution);
					return;
				}
			}
			catch (RuntimeException ex) {
				log.debug("asking the run to stop failed; trying again", ex);
			}
			if (this.ended.await(200, TimeUnit.MILLISECONDS)) {
				return;
			}
		}
	}

	/**
	 * A signal after the run ended, to a handler left installed because another command
	 * of the same JVM (the demo, a test) restored it: handled as before this one.
	 */
	private void passOn(Signal signal) {
		SignalHandler before = this.previous.get(signal);
		if (before == SignalHandler.SIG_DFL) {
			System.exit(128 + signal.getNumber());
		}
		else if (before != null && before != SignalHandler.SIG_IGN) {
			before.handle(signal);
		}
	}

	/** The run has ended: signals end the process again as they did before. */
	@Override
	public void close() {
		this.ended.countDown();
		this.previous.forEach(Signal::handle);
	}

}

package org.imageferry.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import org.imageferry.cloud.Side;
import org.imageferry.cloud.TaskInfo;
import org.imageferry.ledger.ImageRecord;
import org.imageferry.ledger.Ledger;
import org.imageferry.ledger.TaskKind;
import org.imageferry.ledger.Transition;
import org.imageferry.vhd.ImportFailure;

/**
 * Follows the tasks of one kind in one region with a single listing per poll (paged,
 * newest first, back to the oldest task in flight) instead of one GET per task; only a
 * finished task is read in full, for its result or message (those of one poll several at
 * a time). Also settles intents whose POST answer was lost: the task is found in the
 * listing by its input, or, once the listing has had time to show it (two poll intervals)
 * and does not, the image goes back to be started again.
 * <p>
 * Polls are paced region by region: a poll is {@linkplain #due() due} a poll interval
 * after the previous one began, and never sooner than a poll interval after the region's
 * last listing ended — a listing slowed by retries, or made by the step before a restart
 * in the same process, pushes the next one back. Rackspace asks for no more than one poll
 * of a task every 30 s.
 */
public final class TaskWatcher {

	/**
	 * How far the cloud's clock may be behind ours: a task's {@code created_at} can read
	 * that much earlier than our request time. The listing reaches that far back, and no
	 * further: further would only add pages.
	 */
	private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

	private final Ledger ledger;

	private final TaskRules rules;

	private final TaskKind kind;

	private final Side side;

	private final Duration deadline;

	private final Duration pollInterval;

	private final Duration orphanGrace;

	private final MeterRegistry meters;

	/** Read the tasks the listing cannot settle, several at a time. */
	private final Workers workers;

	private final Counter polls;

	/** What this poll decided, written in one transaction at its end. */
	private final List<Transition> changes = new ArrayList<>();

	/** A poll interval after the last poll began. */
	private Instant nextPoll = Instant.MIN;

	/**
	 * When the region was last listed by the step this one restarts, perhaps in another
	 * process.
	 */
	private Instant listedBeforeRestart = Instant.MIN;

	/**
	 * @param rules what the tasks followed are: how one is recognised, what its end means
	 */
	public TaskWatcher(Ledger ledger, TaskRules rules, Side side, Duration deadline, Duration pollInterval,
			Workers workers, MeterRegistry meters) {
		this.ledger = ledger;
		this.workers = workers;
		this.rules = rules;
		this.kind = rules.kind();
		this.side = side;
		this.deadline = deadline;
		this.pollInterval = pollInterval;
		this.orphanGrace = pollInterval.multipliedBy(2);
		this.meters = meters;
		this.polls = Counter.builder("image.ferry.task.polls")
			.description("Polls of one region's tasks of one type (one listing each, paged)")
			.tag("type", this.kind.type())
			.tag("region", side.region())
			.register(meters);
	}

	/**
	 * When the next poll may list the region's tasks: a poll interval after the last poll
	 * began, and after the region's last listing ended (whoever made it).
	 */
	public Instant due() {
		Instant listed = this.side.images().lastTaskListing().orElse(Instant.MIN);
		if (this.listedBeforeRestart.isAfter(listed)) {
			listed = this.listedBeforeRestart;
		}
		Instant afterListing = listed.equals(Instant.MIN) ? listed : listed.plus(this.pollInterval);
		return afterListing.isAfter(this.nextPoll) ? afterListing : this.nextPoll;
	}

	/**
	 * Keeps when the region was last listed in the step's context, which a restarted step
	 * starts from, so even a restart in another process keeps the pace.
	 */
	public void saveTo(ExecutionContext context) {
		this.side.images().lastTaskListing().ifPresent((listed) -> context.putString(key(), listed.toString()));
	}

	/** Reads what {@link #saveTo} kept, if the step is a restart. */
	public void restoreFrom(ExecutionContext context) {
		if (context.containsKey(key())) {
			this.listedBeforeRestart = Instant.parse(context.getString(key()));
		}
	}

	private String key() {
		return "image-ferry.last-task-listing." + this.side.key();
	}

	/** Whether a poll is {@linkplain #due() due} now. */
	public boolean isDue() {
		return !this.ledger.instant().isBefore(due());
	}

	/**
	 * One poll over the images whose task is in flight (no listing when there are none);
	 * the next is due a poll interval later at the earliest. Call only when
	 * {@linkplain #isDue() due}.
	 */
	public void poll(List<ImageRecord> inFlight) {
		this.nextPoll = this.ledger.instant().plus(this.pollInterval);
		if (inFlight.isEmpty()) {
			return;
		}
		this.polls.increment();
		try {
			pollOnce(inFlight);
		}
		finally {
			this.ledger.updateAll(List.copyOf(this.changes));
			this.changes.clear();
		}
	}

	private void pollOnce(List<ImageRecord> inFlight) {
		Instant since = inFlight.stream()
			.map(this::requestedAt)
			.filter(Objects::nonNull)
			.min(Instant::compareTo)
			.orElse(this.ledger.instant())
			.minus(CLOCK_SKEW);
		// no further back than the oldest task in flight: once all are listed, older
		// pages have nothing to say — unless an intent without a task id is looked for
		boolean orphans = inFlight.stream().anyMatch((row) -> taskId(row) == null);
		Set<String> wanted = orphans ? Set.of() : inFlight.stream().map(this::taskId).collect(Collectors.toSet());
		List<TaskInfo> listed = this.side.images().tasks(this.kind.type(), since, wanted);
		Map<String, TaskInfo> byId = listed.stream().collect(Collectors.toMap(TaskInfo::id, (t) -> t, (a, b) -> a));
		// what the listing cannot settle — a task it lacks, a finished one whose result
		// or message only the task itself carries — is read in full, several at a time
		List<String> toRead = inFlight.stream().map(this::taskId).filter(Objects::nonNull).filter((id) -> {
			TaskInfo task = byId.get(id);
			return task == null || (task.finished() && !(task.succeeded() && this.rules.listingShowsResult()));
		}).distinct().toList();
		List<Optional<TaskInfo>> read = this.workers.each(toRead, (id) -> this.side.images().task(id));
		Map<String, Optional<TaskInfo>> full = new HashMap<>();
		for (int i = 0; i < toRead.size(); i++) {
			full.put(toRead.get(i), read.get(i));
		}
		Set<String> claimed = new HashSet<>();
		inFlight.stream().map(this::taskId).filter(Objects::nonNull).forEach(claimed::add);
		for (ImageRecord row : inFlight) {
			String taskId = taskId(row);
			if (taskId == null) {
				settleOrphan(row, listed, claimed);
				continue;
			}
			TaskInfo listedTask = byId.get(taskId);
			TaskInfo task = full.containsKey(taskId) ? full.get(taskId).orElse(listedTask) : listedTask;
			if (task == null) {
				vanished(row, taskId);
			}
			else if (task.finished()) {
				finished(row, task);
			}
			else if (this.ledger.instant().isAfter(requestedAt(row).plus(this.deadline))) {
				fail(row, "TIMEOUT", this.kind.type() + " task " + taskId + " still " + task.status() + " after "
						+ this.deadline + " (the per-task deadline)");
			}
		}
	}

	private void finished(ImageRecord row, TaskInfo task) {
		Timer.builder("image.ferry.task.duration")
			.description("From a task's request to the poll that saw it end")
			.tag("type", this.kind.type())
			.tag("region", this.side.region())
			.tag("status", task.status())
			.register(this.meters)
			.record(Duration.between(requestedAt(row), this.ledger.instant()));
		if (!task.succeeded()) {
			String message = (task.message() != null) ? task.message() : "(no message)";
			String code = ImportFailure.ofMessage(message)
				.map((f) -> Integer.toString(f.code()))
				.orElse(this.kind.failureCode("FAILED"));
			fail(row, code, this.kind.type() + " task " + task.id() + " failed: " + message);
			return;
		}
		this.changes.add(this.rules.succeeded(row, task, this.ledger.instant()));
	}

	private void fail(ImageRecord row, String code, String message) {
		this.changes.add(Transition.failed(row.id(), code, message, this.ledger.instant()));
	}

	/**
	 * The task can no longer be read (expired, or gone): its result may still be there
	 * (an export's object).
	 */
	private void vanished(ImageRecord row, String taskId) {
		Optional<Transition> continued = this.rules.vanished(row, this.ledger.instant());
		if (continued.isPresent()) {
			this.changes.add(continued.get());
			return;
		}
		fail(row, this.kind.failureCode("LOST"), this.kind.type() + " task " + taskId
				+ " can no longer be read (it expired or was removed) and left no result to continue from");
	}

	private void settleOrphan(ImageRecord row, List<TaskInfo> listed, Set<String> claimed) {
		Instant requested = requestedAt(row);
		Object expected = this.rules.input(row);
		for (TaskInfo candidate : listed) {
			if (claimed.contains(candidate.id()) || candidate.createdAt().isBefore(requested.minus(CLOCK_SKEW))) {
				continue;
			}
			Optional<TaskInfo> full = this.side.images().task(candidate.id());
			if (full.isPresent() && expected.equals(full.get().input().get(this.kind.inputKey()))) {
				claimed.add(candidate.id());
				this.changes.add(Transition.taskCreated(row.id(), this.kind, candidate.id()));
				return;
			}
		}
		if (this.ledger.instant().isAfter(requested.plus(this.orphanGrace))) {
			this.changes.add(Transition.taskNotStarted(row.id(), this.kind));
		}
	}

	private String taskId(ImageRecord row) {
		return this.kind.taskId(row);
	}

	private Instant requestedAt(ImageRecord row) {
		Instant at = this.kind.requestedAt(row);
		return (at != null) ? at : this.ledger.instant();
	}

}

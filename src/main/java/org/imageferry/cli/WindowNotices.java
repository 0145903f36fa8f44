package org.imageferry.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.batch.core.job.JobExecution;

import org.imageferry.job.Window;
import org.imageferry.ledger.ImageState;
import org.imageferry.ledger.RunItem;

/**
 * What a command says when a run's window keeps it from finishing: started outside the
 * window, or stopped by its end. Both exit {@link ExitCodes#WINDOW_CLOSED}: work remains,
 * and the next night's same command does it.
 */
final class WindowNotices {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

	private WindowNotices() {
	}

	/** A run started outside its window: nothing started, and when the window opens. */
	static int outside(Window window, Instant now, PrintStream out) {
		out.printf("outside the window (%s): nothing started; it opens at %s%n", window,
				WHEN.format(window.opensAfter(now).atZone(window.zone())));
		return ExitCodes.WINDOW_CLOSED;
	}

	/** A run its window's end stopped: what remains, by state. */
	static int closed(JobExecution execution, List<RunItem> items, PrintStream out) {
		Map<ImageState, Long> remaining = items.stream()
			.filter((item) -> item.image() != null && !item.image().state().terminal())
			.collect(Collectors.groupingBy((item) -> item.image().state(), () -> new EnumMap<>(ImageState.class),
					Collectors.counting()));
		long left = remaining.values().stream().mapToLong(Long::longValue).sum();
		String states = remaining.entrySet()
			.stream()
			.map((e) -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "));
		out.printf("window closed: %d image(s) remain%s%n", left, states.isEmpty() ? "" : " (" + states + ")");
		System.err.println("image-ferry: " + execution.getExitStatus().getExitDescription()
				+ "; the same command in the next window (or `restart`) carries on");
		return ExitCodes.WINDOW_CLOSED;
	}

}

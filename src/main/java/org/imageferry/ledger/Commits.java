package org.imageferry.ledger;

import java.util.function.Supplier;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When the ledger's writes are committed: in a transaction of their own, apart from the
 * caller's (a step's), at once — or, in a cycle of the pipeline running on this thread
 * ({@link #gathered}), together at the cycle's end, unless other threads must see them
 * sooner ({@link #visibly}) — and when they reach the file: by H2's write delay, or
 * before the caller goes on when it acts on them outside the process ({@link #durably}).
 */
final class Commits {

	private static final TransactionDefinition OWN = new DefaultTransactionDefinition(
			TransactionDefinition.PROPAGATION_REQUIRES_NEW);

	private final PlatformTransactionManager transactions;

	private final TransactionTemplate own;

	/** Makes what was committed outlive the process ({@link Dialect#flush}). */
	private final Runnable flush;

	/** The transaction of the {@link #gathered} cycle running on this thread, if any. */
	private final ThreadLocal<TransactionStatus> gathering = new ThreadLocal<>();

	Commits(PlatformTransactionManager transactions, Runnable flush) {
		this.transactions = transactions;
		this.own = new TransactionTemplate(transactions, OWN);
		this.flush = flush;
	}

	/** Commits {@code writes} at once, or with the cycle that gathers this thread's. */
	void now(Runnable writes) {
		if (this.gathering.get() != null) {
			writes.run();
		}
		else {
			this.own.executeWithoutResult((status) -> writes.run());
		}
	}

	/**
	 * Commits {@code writes} at once, with what the cycle on this thread gathered so far,
	 * for other threads to see (and write beside them); like any commit, they reach the
	 * file by H2's write delay at the latest.
	 */
	void visibly(Runnable writes) {
		commitNow(writes);
	}

	/**
	 * Commits {@code writes} at once, with what the cycle on this thread gathered so far,
	 * and makes them outlive the process before it returns: the caller is about to act on
	 * them outside it. Any other commit may reach the file later (H2's write delay): what
	 * a killed process loses of those, the crash paths handle (see {@link #gathered}).
	 */
	void durably(Runnable writes) {
		commitNow(writes);
		this.flush.run();
	}

	private void commitNow(Runnable writes) {
		TransactionStatus open = this.gathering.get();
		if (open == null) {
			now(writes);
			return;
		}
		writes.run();
		this.gathering.set(null);
		this.transactions.commit(open);
		this.gathering.set(this.transactions.getTransaction(OWN));
	}

	/**
	 * Runs one cycle of the pipeline with the ledger writes it makes on this thread
	 * gathered in one transaction, committed when the cycle ends — also when it throws:
	 * what it decided stays recorded — or earlier by {@link #durably}. The cycle's own
	 * questions to the ledger see its writes. A cycle's moves used to cost a commit each
	 * (a poll's, a wave's task ids, the transfers', finishing's): with H2 writing every
	 * commit through to the file (then {@code WRITE_DELAY=0}), those commits were most of
	 * the pipeline's own time at scale. Nothing is lost by waiting for the cycle's end: a
	 * process that dies first leaves only what the crash paths already handle — an intent
	 * without its task id (found by listing), a task's end or a transfer's not recorded
	 * (polled, or checked, again), a finished image not recorded (finished again, which
	 * is harmless).
	 */
	<T> T gathered(Supplier<T> cycle) {
		if (this.gathering.get() != null) {
			return cycle.get();
		}
		this.gathering.set(this.transactions.getTransaction(OWN));
		try {
			T result = cycle.get();
			commitGathered();
			return result;
		}
		catch (RuntimeException | Error ex) {
			try {
				commitGathered();
			}
			catch (RuntimeException commit) {
				ex.addSuppressed(commit);
			}
			throw ex;
		}
		finally {
			TransactionStatus left = this.gathering.get();
			this.gathering.remove();
			if (left != null && !left.isCompleted()) {
				this.transactions.rollback(left);
			}
		}
	}

	private void commitGathered() {
		TransactionStatus open = this.gathering.get();
		if (open != null && !open.isCompleted()) {
			this.gathering.set(null);
			this.transactions.commit(open);
		}
	}

}

package org.imageferry.job;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Times what the run spends in its database, split between Spring Batch's job repository
 * ({@code BATCH_*} tables) and image-ferry's ledger: every statement executed and every
 * commit, as the timer {@code image.ferry.database} with a {@code store} tag. A commit is
 * counted for the store its transaction last wrote to. This is how a run of thousands of
 * images shows what its bookkeeping costs next to the cloud's latency.
 */
final class TimedDataSource extends DelegatingDataSource implements AutoCloseable {

	static final String TIMER = "image.ferry.database";

	private static final Set<String> TIMED = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
			"executeBatch", "executeLargeBatch", "commit", "rollback");

	private final Timer repository;

	private final Timer ledger;

	TimedDataSource(DataSource target, MeterRegistry meters) {
		super(target);
		this.repository = timer(meters, "job-repository");
		this.ledger = timer(meters, "ledger");
	}

	private static Timer timer(MeterRegistry meters, String store) {
		return Timer.builder(TIMER)
			.description("Time spent executing statements and commits in the job repository and ledger database")
			.tag("store", store)
			.register(meters);
	}

	/** Closes the pool underneath when the application context ends. */
	@Override
	public void close() throws Exception {
		if (getTargetDataSource() instanceof AutoCloseable pool) {
			pool.close();
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		return wrap(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return wrap(super.getConnection(username, password));
	}

	private Connection wrap(Connection connection) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				new ConnectionTimer(connection));
	}

	private final class ConnectionTimer implements InvocationHandler {

		private final Connection connection;

		/** The store the current transaction last touched. */
		private Timer last = TimedDataSource.this.ledger;

		ConnectionTimer(Connection connection) {
			this.connection = connection;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
				return call(this.connection, method, args);
			}
			if (TIMED.contains(method.getName())) {
				return timed(this.last, this.connection, method, args);
			}
			Object result = call(this.connection, method, args);
			if (result instanceof Statement statement) {
				Timer store = (args != null && args.length > 0 && args[0] instanceof String sql) ? storeOf(sql) : null;
				Class<?> type = method.getReturnType();
				return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
						(p, m, a) -> statement(statement, store, m, a));
			}
			return result;
		}

		private Object statement(Statement statement, Timer prepared, Method method, Object[] args) throws Throwable {
			if (method.getName().equals("getConnection")) {
				return this.connection;
			}
			if (!TIMED.contains(method.getName())) {
				return call(statement, method, args);
			}
			Timer store = (prepared != null) ? prepared
					: (args != null && args.length > 0 && args[0] instanceof String sql) ? storeOf(sql)
							: TimedDataSource.this.ledger;
			this.last = store;
			return timed(store, statement, method, args);
		}

	}

	private Timer storeOf(String sql) {
		return sql.toUpperCase(java.util.Locale.ROOT).contains("BATCH_") ? this.repository : this.ledger;
	}

	private static Object timed(Timer timer, Object target, Method method, Object[] args) throws Throwable {
		long started = System.nanoTime();
		try {
			return call(target, method, args);
		}
		finally {
			timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	private static Object call(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

}

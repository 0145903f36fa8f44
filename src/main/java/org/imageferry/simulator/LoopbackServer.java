package org.imageferry.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * The simulated cloud's HTTP server: Jetty on one or more loopback addresses (the
 * simulated hosts), every request handed to one blocking handler as an {@link Exchange}
 * on Jetty's thread pool, with the link of the host it came on.
 * <p>
 * Jetty rather than the JDK's server because of {@code Expect: 100-continue}: the JDK's
 * server sends {@code 100 Continue} before any handler runs, Jetty only when the handler
 * starts reading the body. That is how Swift (eventlet) behaves, and it lets the
 * simulator answer a bad token, a missing container or a body over the size cap at once,
 * without taking the body; a client that mishandles that answer shows it in tests.
 */
final class LoopbackServer implements AutoCloseable {

	/**
	 * At most this many requests are handled at once; the JDK's server had no limit, and
	 * tests keep many transfers under way in parallel.
	 */
	private static final int MAX_THREADS = 1024;

	private final Server server;

	private final List<ServerConnector> connectors = new ArrayList<>();

	/**
	 * @param hosts loopback addresses to listen on, all on one port: the first picks it
	 * when {@code port} is 0
	 * @param links the hosts' links, which a request's object bodies cross
	 */
	LoopbackServer(List<String> hosts, int port, HostLinks links, Consumer<Exchange> handler) throws IOException {
		quietJetty();
		QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
		threads.setName("simulator-http");
		threads.setDaemon(true);
		this.server = new Server(threads);
		HttpConfiguration http = new HttpConfiguration();
		http.setSendServerVersion(false);
		// object names may hold anything (%2F, %25, ..): the simulator decodes the path
		// itself, as Swift does, instead of Jetty refusing ambiguous ones with 400
		http.setUriCompliance(UriCompliance.UNSAFE);
		for (String host : hosts) {
			ServerConnector connector = new ServerConnector(this.server, 1, 1, new HttpConnectionFactory(http));
			connector.setHost(host);
			connector.setPort(this.connectors.isEmpty() ? port : port());
			connector.setAcceptQueueSize(256);
			// an idle connection is closed after 30 s, as the JDK's server did (a client
			// that keeps it longer sends a request again when it finds it closed)
			connector.setIdleTimeout(30_000);
			// a streamed answer is written in several pieces; with Nagle's algorithm on,
			// a piece can wait for the client's delayed ACK, about 40 ms
			connector.setAcceptedTcpNoDelay(true);
			this.server.addConnector(connector);
			// bound now, so that the port is known before the next host and the
			// services that name it in URLs
			try {
				connector.open();
			}
			catch (IOException ex) {
				this.connectors.forEach(ServerConnector::close);
				throw new IOException("the simulator cannot listen on " + host + ":" + connector.getPort(), ex);
			}
			this.connectors.add(connector);
		}
		this.server.setHandler(new Handler.Abstract() {

			@Override
			public boolean handle(Request request, Response response, Callback callback) {
				try {
					Exchange exchange = new Exchange(request, response,
							links.of(request.getConnectionMetaData().getLocalSocketAddress(),
									request.getConnectionMetaData().getRemoteSocketAddress()));
					handler.accept(exchange);
					exchange.discardUnreadBody();
					if (exchange.dropped()) {
						callback.failed(new EofException("the simulator cut the connection"));
					}
					else {
						callback.succeeded();
					}
				}
				catch (Throwable ex) {
					callback.failed(ex);
				}
				return true;
			}

		});
	}

	/** Starts answering; until then a request waits in the accept queue. */
	void start() throws IOException {
		try {
			this.server.start();
		}
		catch (IOException ex) {
			close();
			throw ex;
		}
		catch (Exception ex) {
			close();
			throw new IOException("the simulator's HTTP server did not start", ex);
		}
	}

	/**
	 * Jetty tells of every start and stop at INFO, five lines for each simulated cloud,
	 * and a test run starts hundreds. Where nothing set a level for Jetty (tests,
	 * {@code scripts/simulate}), only its warnings are shown; image-ferry's own logging
	 * set-up replaces this when it starts.
	 */
	private static void quietJetty() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
			ch.qos.logback.classic.Logger jetty = logback.getLogger("org.eclipse.jetty");
			if (jetty.getLevel() == null) {
				jetty.setLevel(Level.WARN);
			}
		}
	}

	int port() {
		return this.connectors.get(0).getLocalPort();
	}

	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (Exception ignored) {
			// what a failed stop leaves behind is daemon threads only
		}
		// a server that never started has its hosts' ports bound all the same
		this.connectors.forEach(ServerConnector::close);
	}

}

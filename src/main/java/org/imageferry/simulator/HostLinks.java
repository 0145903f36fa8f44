package org.imageferry.simulator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated hosts' network links, so that workers on one machine behave like hosts
 * with their own NICs: one {@link HostLink} per host, which every object body sent or
 * received on that host's connections crosses, both ways together.
 * <p>
 * A host is the loopback address a connection arrived on, not the client's source
 * address: on Java 17 the product's {@code HttpClient} cannot bind a source address
 * ({@code Builder.localAddress} came in JDK 19), and on Linux a connection from an
 * unbound socket to 127.0.0.2 comes from 127.0.0.1. So a worker is "on 127.0.0.2" by
 * reaching the simulator there, its identity URL naming it; the catalog then sends all
 * its traffic there too ({@link Identity}). A client that does bind its source (curl
 * {@code --interface 127.0.0.3}) is on the host it came from, whatever address it
 * reached.
 */
final class HostLinks {

	/** Where a connection from an unbound loopback socket comes from, on Linux. */
	private static final String UNBOUND = "127.0.0.1";

	private final long bytesPerSecond;

	private final Map<String, HostLink> links = new ConcurrentHashMap<>();

	/**
	 * @param bytesPerSecond each host's rate; 0 for links that never wait
	 */
	HostLinks(long bytesPerSecond) {
		this.bytesPerSecond = bytesPerSecond;
	}

	/** The link of the host a connection belongs to. */
	HostLink of(SocketAddress local, SocketAddress remote) {
		if (this.bytesPerSecond == 0) {
			return HostLink.UNLIMITED;
		}
		return this.links.computeIfAbsent(host(local, remote),
				(h) -> new HostLink(this.bytesPerSecond, System::nanoTime, HostLink.Sleeper.THREAD));
	}

	/**
	 * The client's own address when it chose one (anything but 127.0.0.1), else the
	 * address it reached.
	 */
	static String host(SocketAddress local, SocketAddress remote) {
		String from = address(remote);
		return (from != null && !from.equals(UNBOUND)) ? from : (address(local) != null) ? address(local) : UNBOUND;
	}

	private static String address(SocketAddress socket) {
		InetAddress address = (socket instanceof InetSocketAddress s) ? s.getAddress() : null;
		return (address != null) ? address.getHostAddress() : null;
	}

}

package org.imageferry.simulator;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A host's link as arithmetic, on a clock the test moves (the sleeper advances it by what
 * it is asked to sleep), which host a connection belongs to, and the knobs that set both.
 * {@link HostBandwidthTests} measures the same links over real HTTP.
 */
class HostLinksTests {

	private static final long MB = 1_000_000;

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final AtomicLong slept = new AtomicLong();

	private HostLink link(long bytesPerSecond) {
		return new HostLink(bytesPerSecond, this.now::get, (nanos) -> {
			this.slept.addAndGet(nanos);
			this.now.addAndGet(nanos);
		});
	}

	@Test
	void aLinkLetsATwentiethOfASecondThroughAtOnceThenHoldsItsRate() throws Exception {
		// given
		HostLink link = link(MB);

		// when
		link.pass(50_000);
		long afterBurst = this.slept.get();
		for (int i = 0; i < 1000; i++) {
			link.pass(1_000);
		}

		// then
		assertThat(afterBurst).isZero();
		assertThat(this.slept.get()).isBetween(999_000_000L, 1_001_000_000L);
	}

	@Test
	void anIdleLinkSavesNoMoreThanItsBurst() throws Exception {
		// given
		HostLink link = link(MB);
		link.pass(50_000);

		// when
		this.now.addAndGet(10_000_000_000L);
		link.pass(150_000);

		// then: 50,000 bytes saved while idle, the other 100,000 at 1 MB/s
		assertThat(this.slept.get()).isBetween(99_000_000L, 101_000_000L);
	}

	@Test
	void anUnlimitedLinkNeverWaits() throws Exception {
		// given
		HostLinks links = new HostLinks(0);

		// when
		HostLink link = links.of(new InetSocketAddress("127.0.0.2", 8777), new InetSocketAddress("127.0.0.1", 4000));
		long started = System.nanoTime();
		link.pass(10_000_000_000L);

		// then
		assertThat(link).isSameAs(HostLink.UNLIMITED);
		assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
	}

	@Test
	void aConnectionIsOnTheHostItReachedUnlessItsClientBoundAnotherSource() {
		// given
		HostLinks links = new HostLinks(40 * MB);
		InetSocketAddress unbound = new InetSocketAddress("127.0.0.1", 40_000);
		InetSocketAddress two = new InetSocketAddress("127.0.0.2", 8777);

		// when
		String reachedTwo = HostLinks.host(two, unbound);
		String boundThree = HostLinks.host(new InetSocketAddress("127.0.0.1", 8777),
				new InetSocketAddress("127.0.0.3", 40_001));
		String plain = HostLinks.host(new InetSocketAddress("127.0.0.1", 8777), unbound);

		// then
		assertThat(reachedTwo).isEqualTo("127.0.0.2");
		assertThat(boundThree).isEqualTo("127.0.0.3");
		assertThat(plain).isEqualTo("127.0.0.1");
		assertThat(links.of(two, unbound)).isSameAs(links.of(two, new InetSocketAddress("127.0.0.1", 40_002)))
			.isNotSameAs(links.of(new InetSocketAddress("127.0.0.3", 8777), unbound));
	}

	@Test
	void hostsAndTheirBandwidthAreKnobsAndDefaultToOneUncappedHost() {
		// given
		Knobs.Settings settings = new Knobs.Settings(SimulatorConfig.builder());

		// when
		SimulatorConfig defaults = SimulatorConfig.builder().build();
		Knobs.set(settings, "hosts", "127.0.0.1,127.0.0.2,127.0.0.3");
		Knobs.set(settings, "host-bandwidth", "40MB");
		SimulatorConfig set = settings.build().build();

		// then
		assertThat(defaults.hosts()).containsExactly("127.0.0.1");
		assertThat(defaults.hostBandwidth()).isZero();
		assertThat(set.hosts()).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
		assertThat(set.hostBandwidth()).isEqualTo(40 * MB);
	}

	@Test
	void aHostIsAnAddressOfTheLoopbackNetworkOnlyEachOnce() {
		for (String host : List.of("10.0.0.1", "localhost", "127.0.0.256", "0.0.0.0", "::1")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> SimulatorConfig.builder().hosts(List.of(host)).build())
				.withMessageContaining(host);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SimulatorConfig.builder().hosts(List.of("127.0.0.2", "127.0.0.2")).build());
		assertThatIllegalArgumentException().isThrownBy(() -> SimulatorConfig.builder().hosts(List.of()).build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Knobs.set(new Knobs.Settings(SimulatorConfig.builder()), "hosts", "127.0.0.1,8.8.8.8"))
			.withMessageContaining("knob 'hosts'")
			.withMessageContaining("8.8.8.8");
	}

}

package org.imageferry.cloud;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.identity.v2.Access;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.internal.OSClientSession;

import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AccountSession} against the simulated identity service.
 */
class AccountSessionTests {

	private static final int THREADS = 8;

	private SimulatedCloud cloud;

	private ExecutorService pool;

	@BeforeEach
	void start() throws IOException {
		this.cloud = SimulatedCloud.start(SimulatorConfig.builder().build());
		this.pool = Executors.newFixedThreadPool(THREADS);
	}

	@AfterEach
	void stop() {
		this.pool.shutdownNow();
		this.cloud.close();
	}

	/**
	 * OpenStack4j builds an access's service catalog lazily and publishes it before it is
	 * filled: threads resolving endpoints of a fresh access at once could find none
	 * ("Endpoint for 'glance' service could not be found"), as the concurrent pre-flight
	 * once did. The session hands out accesses whose catalog is built.
	 */
	@Test
	void threadsResolvingEndpointsOfAFreshAccessAtOnceAllFindThem() throws Exception {
		Retries retries = new Retries(1, Duration.ofMillis(1), Duration.ofMillis(1), CloudObserver.NONE);
		for (int round = 0; round < 200; round++) {
			// given: a token just issued
			Access access = new AccountSession(this.cloud.identityUrl(), new Credentials("alice", "alice-api-key"),
					Duration.ofSeconds(10), SSLContext.getDefault(), retries, Clock.systemUTC())
				.access();
			CountDownLatch go = new CountDownLatch(1);
			List<Future<String>> resolved = new ArrayList<>();

			// when
			for (int i = 0; i < THREADS; i++) {
				resolved.add(this.pool.submit(() -> {
					go.await();
					OSClientSession<?, ?> client = (OSClientSession<?, ?>) OSFactory.clientFromAccess(access)
						.useRegion("IAD");
					return client.getEndpoint(ServiceType.IMAGE);
				}));
			}
			go.countDown();

			// then
			for (Future<String> url : resolved) {
				assertThat(url.get()).isEqualTo(this.cloud.imagesUrl("IAD"));
			}
		}
	}

}

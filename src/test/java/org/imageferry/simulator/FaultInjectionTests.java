package org.imageferry.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imageferry.simulator.SimulatorClient.ALICE;
import static org.imageferry.simulator.SimulatorClient.importTask;

class FaultInjectionTests {

	private SimulatorClient client;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void seededErrorRatesGiveRoughlyThatShareOf503And500() {
		// given
		this.client = SimulatorClient.start();
		this.client.token(ALICE);
		this.client.cloud.faults(Faults.builder().seed(42).errorRates(0.2, 0.1, 0).build());

		// when
		int unavailable = 0;
		int serverErrors = 0;
		int ok = 0;
		boolean everyRetryAfter = true;
		for (int i = 0; i < 1000; i++) {
			SimulatorClient.Response r = this.client.get(this.client.images("/images"));
			switch (r.status()) {
				case 503 -> {
					unavailable++;
					everyRetryAfter &= r.header("Retry-After") != null;
				}
				case 500 -> serverErrors++;
				case 200 -> ok++;
				default -> throw new AssertionError("unexpected " + r);
			}
		}

		// then
		assertThat(unavailable).isBetween(150, 250);
		assertThat(serverErrors).isBetween(60, 140);
		assertThat(ok).isEqualTo(1000 - unavailable - serverErrors);
		assertThat(everyRetryAfter).isTrue();
	}

	@Test
	void theSameSeedGivesTheSameErrorsInANewCloud() {
		// when
		String first = statuses(7);
		String second = statuses(7);

		// then
		assertThat(first).isEqualTo(second).contains("503");
	}

	private static String statuses(long seed) {
		try (SimulatorClient cloud = SimulatorClient.start()) {
			cloud.token(ALICE);
			cloud.cloud.faults(Faults.builder().seed(seed).errorRates(0.3, 0, 0).build());
			StringBuilder statuses = new StringBuilder();
			for (int i = 0; i < 40; i++) {
				statuses.append(cloud.get(cloud.images("/images")).status()).append(' ');
			}
			return statuses.toString();
		}
	}

	@Test
	void tasksAboveTheInFlightCapAre413UntilOthersFinish() {
		// given
		this.client = SimulatorClient
			.start(SimulatorClient.config().faults(Faults.builder().tasksInFlightCap(2).build()).build());
		this.client.createContainer(ALICE, "c");
		String first = this.client.postTask(ALICE, importTask("c/a.vhd", "a")).json().path("id").asText();
		String second = this.client.postTask(ALICE, importTask("c/b.vhd", "b")).json().path("id").asText();

		// when
		SimulatorClient.Response over = this.client.postTask(ALICE, importTask("c/c.vhd", "c"));
		SimulatorClient.Response otherTenant = this.client.postTask(SimulatorClient.BOB, importTask("c/c.vhd", "c"));
		this.client.waitForTask(ALICE, first);
		this.client.waitForTask(ALICE, second);
		SimulatorClient.Response afterwards = this.client.postTask(ALICE, importTask("c/c.vhd", "c"));

		// then
		assertThat(over.status()).isEqualTo(413);
		assertThat(otherTenant.status()).isEqualTo(201);
		assertThat(afterwards.status()).isEqualTo(201);
		assertThat(this.client.cloud.inspect().tasks()).hasSize(4);
	}

	@Test
	void dropsCutObjectBodiesShortOfTheirLength() throws Exception {
		// given
		this.client = SimulatorClient.start();
		this.client.createContainer(ALICE, "c");
		byte[] body = SimulatorClient.randomBytes(2 * 1024 * 1024, 1);
		this.client.putObject(ALICE, "c", "o", body);
		this.client.cloud.faults(Faults.builder().errorRates(0, 0, 1.0).build());

		// when
		long declared = -1;
		long received = 0;
		boolean failed = false;
		HttpResponse<InputStream> r = this.client.call("GET", this.client.files(ALICE, "/c/o")).as(ALICE).stream();
		declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
		try (InputStream in = r.body()) {
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				received += n;
			}
		}
		catch (IOException | UncheckedIOException ex) {
			failed = true;
		}

		// then
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(declared).isEqualTo(body.length);
		assertThat(failed || received < declared).isTrue();
		assertThat(received).isLessThan(declared);
	}

}

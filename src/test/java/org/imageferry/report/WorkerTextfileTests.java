package org.imageferry.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.cloud.ObjectInfo;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.testsupport.ExternalTools;
import org.imageferry.testsupport.SimulatedSwift;
import org.imageferry.transfer.BandwidthCap;
import org.imageferry.transfer.SegmentCopier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers on one host, as two processes of one profile are: each copies a segment
 * through the simulated Cloud Files and writes its metrics, which carry its name, to a
 * textfile of its own beside the profile's, which {@code promtool check metrics} accepts.
 */
class WorkerTextfileTests {

	@TempDir
	Path dir;

	private SimulatedSwift swift;

	@BeforeEach
	void start() throws IOException {
		this.swift = new SimulatedSwift(SimulatorConfig.builder().segmentSize(1024 * 1024));
	}

	@AfterEach
	void stop() {
		this.swift.close();
	}

	@Test
	void eachWorkerWritesItsTransferMetersLabelledWithItsNameToAFileOfItsOwn() throws Exception {
		// given: the profile's textfile, and two workers of one host
		Path textfile = this.dir.resolve("textfile/image-ferry.prom");
		ObjectInfo first = this.swift.put("a.vhd-00001", new byte[300_000]);
		ObjectInfo second = this.swift.put("b.vhd-00001", new byte[200_000]);

		// when
		Path a = copyAndWrite("host-a:4242/1", first, textfile);
		Path b = copyAndWrite("host-a:4343/2", second, textfile);

		// then
		assertThat(a).isEqualTo(this.dir.resolve("textfile/image-ferry-host-a-4242-1.prom"));
		assertThat(b).isEqualTo(this.dir.resolve("textfile/image-ferry-host-a-4343-2.prom"));
		assertThat(Files.readString(a))
			.contains(
					"image_ferry_transfer_bytes_total{source=\"DFW\",target=\"IAD\",worker=\"host-a:4242/1\"} 300000.0")
			.containsPattern("image_ferry_segment_transfer_seconds_count\\{.*worker=\"host-a:4242/1\"} 1");
		assertThat(Files.readString(b))
			.contains(
					"image_ferry_transfer_bytes_total{source=\"DFW\",target=\"IAD\",worker=\"host-a:4343/2\"} 200000.0")
			.doesNotContain("host-a:4242/1");
		for (Path file : new Path[] { a, b }) {
			Path promtool = ExternalTools.require("promtool");
			ExternalTools.Result check = ExternalTools.run(Path.of("/bin/sh"), "-c",
					"'" + promtool + "' check metrics < '" + file + "'");
			assertThat(check.exitCode()).as(check.output()).isZero();
			assertThat(check.output()).isBlank();
		}
	}

	private Path copyAndWrite(String worker, ObjectInfo segment, Path textfile) throws IOException {
		PrometheusMeterRegistry meters = new MetricsConfiguration().prometheusMeterRegistry();
		new SegmentCopier(1, Duration.ofMillis(1), meters, BandwidthCap.NONE, Tags.of("worker", worker))
			.copy(this.swift.dfw, "exports", this.swift.iad, "imports", segment);
		Path file = PrometheusExport.workerTextfile(textfile, worker);
		PrometheusExport.writeTextfile(meters, file);
		return file;
	}

}

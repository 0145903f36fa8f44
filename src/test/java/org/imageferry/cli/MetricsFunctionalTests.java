package org.imageferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's metrics as Prometheus reads them: the textfile parses line by line as the text
 * exposition format, holds image-ferry's meters and Spring Batch's, and the same is
 * pushed to a Pushgateway (a loopback stand-in that records what it is sent).
 */
class MetricsFunctionalTests {

	private static final Pattern SAMPLE = Pattern
		.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

	record Sample(String name, Map<String, String> labels, double value) {
	}

	@TempDir
	Path dir;

	/**
	 * Parses the text exposition format strictly: every line is a comment, blank, or a
	 * well-formed sample.
	 */
	static List<Sample> parse(String exposition) {
		List<Sample> samples = new ArrayList<>();
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				int end = 0;
				while (label.find() && label.start() == end) {
					labels.put(label.group(1), label.group(2));
					end = label.end();
				}
				assertThat(end).as("labels of %s", line).isEqualTo(sample.group(2).length());
			}
			samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
		}
		return samples;
	}

	static double value(List<Sample> samples, String name, Map<String, String> labels) {
		return samples.stream()
			.filter((s) -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
			.mapToDouble(Sample::value)
			.sum();
	}

	@Test
	void aRunWritesItsMetricsAsATextfileAndPushesThem() throws Exception {
		// given
		List<String> pushed = new ArrayList<>();
		HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		gateway.createContext("/", (exchange) -> {
			pushed.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
					+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		gateway.start();
		PrintStream stdout = System.out;
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofMillis(200), Duration.ofMillis(200))
			.build())) {
			String good = cloud.addImage(ImageSeed.of("DFW", "100001", "m-good", SyntheticVhd.fixed(3 << 20, 1)));
			String bad = cloud.addImage(ImageSeed.of("DFW", "100001", "m-bad",
					SyntheticVhd.fixed(1 << 20, 2).withDefect(SyntheticVhd.Defect.NOT_A_VHD)));
			Path credentials = JobProfile.credentials(this.dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path textfile = this.dir.resolve("textfile/image-ferry.prom");
			Path job = Files.writeString(this.dir.resolve("metrics.yml"), """
					image-ferry:
					  identity-url: %s
					  credentials-file: %s
					  data-dir: %s
					  reports-dir: %s
					  metrics-textfile: %s
					  pushgateway-url: http://127.0.0.1:%d/
					  source: { region: DFW, container: exports }
					  target: { region: IAD, container: imports }
					  poll-interval: 100ms
					""".formatted(cloud.identityUrl(), credentials, this.dir.resolve("data"),
					this.dir.resolve("reports"), textfile, gateway.getAddress().getPort()));
			Path manifest = Files.writeString(this.dir.resolve("m.csv"), "image_id\n" + good + "\n" + bad + "\n");
			System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

			// when
			int code = ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString());

			// then
			System.setOut(stdout);
			assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
			List<Sample> samples = parse(Files.readString(textfile));
			assertThat(value(samples, "image_ferry_images_total", Map.of("outcome", "migrated"))).isEqualTo(1);
			assertThat(value(samples, "image_ferry_images_total", Map.of("outcome", "failed", "code", "396")))
				.isEqualTo(1);
			assertThat(value(samples, "image_ferry_api_requests_total", Map.of("region", "DFW", "service", "image")))
				.isPositive();
			assertThat(value(samples, "image_ferry_task_duration_seconds_count",
					Map.of("type", "export", "region", "DFW", "status", "success")))
				.isEqualTo(2);
			assertThat(value(samples, "image_ferry_transfer_bytes_total", Map.of("source", "DFW", "target", "IAD")))
				.isEqualTo((3 << 20) + 512);
			assertThat(value(samples, "image_ferry_segment_transfer_seconds_count", Map.of())).isEqualTo(4);
			assertThat(samples).anyMatch((s) -> s.name().startsWith("image_ferry_tasks_in_flight"));
			assertThat(samples).anyMatch((s) -> s.name().startsWith("spring_batch_job"));
			assertThat(pushed).singleElement()
				.satisfies((push) -> assertThat(push).startsWith("PUT /metrics/job/image_ferry/profile/metrics\n"));
			assertThat(parse(pushed.get(0).substring(pushed.get(0).indexOf('\n') + 1)))
				.anyMatch((s) -> s.name().equals("image_ferry_images_total"));
		}
		finally {
			System.setOut(stdout);
			gateway.stop(0);
		}
	}

}

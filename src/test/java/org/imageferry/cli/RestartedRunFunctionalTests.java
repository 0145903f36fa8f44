package org.imageferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.simulator.ImageSeed;
import org.imageferry.simulator.SimulatedCloud;
import org.imageferry.simulator.SimulatorConfig;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.ExternalTools;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run stopped from another command, left stopped for a while, and restarted, as its
 * reports, {@code status} and metrics tell it: the pause between the two executions is
 * shown and not counted as any phase's time, {@code status} prints ISO-8601 times, and
 * the metrics textfile, which {@code promtool check metrics} accepts without a word, says
 * which execution wrote it and which counters are the run's.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartedRunFunctionalTests {

	@TempDir
	Path dir;

	@Test
	void aStoppedAndRestartedRunsReportsStatusAndMetricsCoverBothExecutions(CapturedOutput output) throws Exception {
		// given
		try (SimulatedCloud cloud = SimulatedCloud.start(SimulatorConfig.builder()
			.segmentSize(1024 * 1024)
			.taskLatency(Duration.ofSeconds(5), Duration.ofMillis(500))
			.build())) {
			String first = cloud.addImage(ImageSeed.of("DFW", "100001", "r-1", SyntheticVhd.fixed(1 << 20, 1)));
			String second = cloud.addImage(ImageSeed.of("DFW", "100001", "r-2", SyntheticVhd.fixed(1 << 20, 2)));
			Path credentials = JobProfile.credentials(this.dir.resolve("credentials"),
					"username=alice\napi-key=alice-api-key\n");
			Path job = JobProfile.write(this.dir.resolve("restarted.yml"), cloud.identityUrl(), this.dir, """
					credentials-file: %s
					source: { region: DFW, container: exports }
					target: { region: IAD, container: imports }
					poll-interval: 100ms
					""".formatted(credentials));
			Path manifest = Files.writeString(this.dir.resolve("m.csv"),
					"image_id,target_name\n" + first + ",renamed-1\n" + second + "\n");
			CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
					() -> ImageFerryApplication.run("run", "--job", job.toString(), "--manifest", manifest.toString()));
			while (cloud.inspect().tasks().stream().noneMatch((t) -> t.input().toString().contains(second))) {
				Thread.sleep(20);
			}

			// when
			int stop = ImageFerryApplication.run("stop", "--job", job.toString());
			int stopped = running.get();
			Thread.sleep(2500);
			int restart = ImageFerryApplication.run("restart", "--job", job.toString());
			int status = ImageFerryApplication.run("status", "--job", job.toString());

			// then
			assertThat(List.of(stop, stopped, restart, status)).as(output.getErr())
				.containsExactly(ExitCodes.MIGRATED, ExitCodes.RUN_FAILED, ExitCodes.MIGRATED, ExitCodes.MIGRATED);
			Matcher last = Pattern.compile("\nrun 1, execution (\\d+): COMPLETED").matcher(output.getOut());
			assertThat(last.find()).as(output.getOut()).isTrue();
			String execution = last.group(1);
			String html = Files.readString(this.dir.resolve("reports/run-1-" + execution + ".html"));
			assertThat(html).contains("<th>Executions</th><td>1 STOPPED: ")
				.contains("<br>" + execution + " COMPLETED: ")
				.contains("class=\"pause-band\"")
				.containsPattern(">stopped ([2-9]|[1-5]\\d)\\.\\d s</text>");
			assertThat(Files.readString(this.dir.resolve("reports/run-1-" + execution + ".csv")))
				.startsWith("line,source_image_id,outcome,target_image_id,target_name,")
				.contains(",renamed-1,")
				.contains(",r-2,");
			assertThat(output.getOut()).containsPattern("\nrun 1, execution " + execution
					+ ": COMPLETED \\(started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"
					+ "(Z|[+-]\\d\\d:\\d\\d), ended \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\\)\n")
				.containsPattern(
						"\nexecutions of run 1:\n +1  STOPPED .*, then not running \\(stopped\\) ([2-9]|[1-5]\\d)\\.\\d s\n")
				.containsPattern("\nwall time .*, active .*\n");
			Path textfile = this.dir.resolve("reports/image-ferry.prom");
			String metrics = Files.readString(textfile);
			List<MetricsFunctionalTests.Sample> samples = MetricsFunctionalTests.parse(metrics);
			assertThat(MetricsFunctionalTests.value(samples, "image_ferry_run_execution", Map.of("run", "1")))
				.isEqualTo(Long.parseLong(execution));
			assertThat(MetricsFunctionalTests.value(samples, "image_ferry_run_executions", Map.of("run", "1")))
				.isEqualTo(2);
			assertThat(metrics)
				.containsPattern("# HELP image_ferry_images_total .*\\(the whole run: every execution\\)")
				.containsPattern("# HELP image_ferry_api_requests_total .*\\(this execution only: a restart counts");
			Path promtool = ExternalTools.require("promtool");
			ExternalTools.Result check = ExternalTools.run(Path.of("/bin/sh"), "-c",
					"'" + promtool + "' check metrics < '" + textfile + "'");
			assertThat(check.exitCode()).as(check.output()).isZero();
			assertThat(check.output()).isBlank();
		}
	}

}

package org.imageferry.cli;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.imageferry.ImageFerryApplication;
import org.imageferry.testsupport.JobProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers' keys and the {@code worker} command refuse what cannot work with one
 * message naming the key, exit 64, before anything reaches the cloud (whose identity URL
 * here answers nothing).
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60) // a worker not refused would wait for a run
class WorkerConfigurationFunctionalTests {

	@TempDir
	Path dir;

	private Path profile(String keys) throws Exception {
		return JobProfile.write(this.dir.resolve("workers.yml"), "http://127.0.0.1:9/v2.0", this.dir, """
				source: { region: DFW, container: exports }
				target: { region: IAD, container: imports }
				""" + keys);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "lease: 1s|image-ferry.lease must be at least 3s",
			"workers: -1|image-ferry.workers must be at least 0" })
	void aLeaseTooShortOrWorkersBelowZeroNameTheKey(String line, String named, CapturedOutput output) throws Exception {
		// given
		Path job = profile(line + "\n");

		// when
		int code = ImageFerryApplication.run("worker", "--job", job.toString());

		// then
		assertThat(code).as(output.getErr()).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).startsWith("image-ferry: ").contains(named).doesNotContain("Exception");
	}

	@Test
	void aWorkerWithoutASharedDatabaseNamesTheKey(CapturedOutput output) throws Exception {
		// given: the run's own H2 file in its data directory, which no other host can
		// reach
		Path job = profile("workers: 2\n");

		// when
		int code = ImageFerryApplication.run("worker", "--job", job.toString());

		// then
		assertThat(code).as(output.getErr()).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).startsWith("image-ferry: a worker needs spring.datasource.url")
			.contains("the PostgreSQL server")
			.doesNotContain("Exception");
	}

}

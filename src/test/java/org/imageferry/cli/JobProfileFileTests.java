package org.imageferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.job.ConfigurationException;
import org.imageferry.job.FerryProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class JobProfileFileTests {

	@TempDir
	Path dir;

	Path profile(String yaml) throws IOException {
		return Files.writeString(this.dir.resolve("nightly.yml"), yaml);
	}

	@Test
	void bindsTheProfileAsTheApplicationWouldWithItsDefaults() throws IOException {
		// given
		Path file = profile("""
				image-ferry:
				  source: { region: DFW, container: exports }
				  poll-interval: 45s
				  set-properties: { vm_mode: hvm, com.example.team: platform }
				""");

		// when
		FerryProperties properties = JobProfileFile.load(file);

		// then
		assertThat(properties.source().region()).isEqualTo("DFW");
		assertThat(properties.target().container()).isEqualTo("image-ferry");
		assertThat(properties.pollInterval()).isEqualTo(Duration.ofSeconds(45));
		assertThat(properties.maxManifestLines()).isEqualTo(100_000);
		assertThat(properties.setProperties()).containsEntry("vm_mode", "hvm");
	}

	@Test
	void theThreeTargetsExampleBindsItsTargetsWithTheirNamesAndAccounts() {
		// when
		FerryProperties properties = JobProfileFile.load(Path.of("jobs/three-targets.yml"));

		// then
		assertThat(properties.target()).isNull();
		assertThat(properties.destinations())
			.extracting(FerryProperties.Target::name, FerryProperties.Target::region,
					FerryProperties.Target::credentialNames)
			.containsExactly(tuple("iad", "IAD", List.of("iad", "target")),
					tuple("ord", "ORD", List.of("ord", "target")), tuple("lon", "LON", List.of("uk", "target")));
	}

	@Test
	void aMisspelledKeyOfATargetIsRefusedWithTheKeyItMeant() throws IOException {
		// given
		Path file = profile("""
				image-ferry:
				  source: { region: DFW }
				  targets:
				    - { region: IAD }
				    - { region: ORD, acount: bob }
				""");

		// when, then
		assertThatExceptionOfType(ConfigurationException.class).isThrownBy(() -> JobProfileFile.load(file))
			.withMessageContaining("image-ferry.targets[1].acount (did you mean image-ferry.targets[0].account?)");
	}

	@Test
	void oneTargetIsTheListOfOneNamedAfterItsRegionWithTheTargetsCredentials() throws IOException {
		// given
		Path file = profile("""
				image-ferry:
				  source: { region: DFW }
				  target: { region: IAD, container: imports }
				""");

		// when
		List<FerryProperties.Target> targets = JobProfileFile.load(file).destinations();

		// then
		assertThat(targets)
			.extracting(FerryProperties.Target::name, FerryProperties.Target::container,
					FerryProperties.Target::credentialNames)
			.containsExactly(tuple("iad", "imports", List.of("target")));
	}

	@Test
	void relaxedSpellingsAndSpringsOwnKeysAreKnown() throws IOException {
		// given
		Path file = profile("""
				image-ferry:
				  pollInterval: 45s
				  max_manifest_lines: 7
				  Transfer-Concurrency: 3
				logging:
				  level:
				    org.imageferry: DEBUG
				spring:
				  main:
				    lazy-initialization: true
				""");

		// when
		FerryProperties properties = JobProfileFile.load(file);

		// then
		assertThat(properties.pollInterval()).isEqualTo(Duration.ofSeconds(45));
		assertThat(properties.maxManifestLines()).isEqualTo(7);
		assertThat(properties.transferConcurrency()).isEqualTo(3);
	}

	@Test
	void aSystemPropertyOverridesTheFileAsInTheApplication() throws IOException {
		// given
		Path file = profile("image-ferry:\n  retries: 2\n");
		System.setProperty("image-ferry.retries", "9");

		// when
		FerryProperties properties;
		try {
			properties = JobProfileFile.load(file);
		}
		finally {
			System.clearProperty("image-ferry.retries");
		}

		// then
		assertThat(properties.retries()).isEqualTo(9);
	}

	@Test
	void everyUnknownKeyIsNamedWithItsLineAndTheClosestKnownOne() throws IOException {
		// given
		Path file = profile("""
				image-ferry:
				  poll-intervall: 45s
				  target: { region: IAD, contianer: imports }
				  completely-made-up: 1
				""");

		// when / then
		assertThatExceptionOfType(ConfigurationException.class).isThrownBy(() -> JobProfileFile.load(file))
			.withMessage("job profile " + file + " has 3 keys image-ferry does not know (misspelled?):\n"
					+ "  line 2: image-ferry.poll-intervall (did you mean image-ferry.poll-interval?)\n"
					+ "  line 3: image-ferry.target.contianer (did you mean image-ferry.target.container?)\n"
					+ "  line 4: image-ferry.completely-made-up");
	}

	@Test
	void aValueOfTheWrongTypeNamesTheKeyAndItsValue() throws IOException {
		// given
		Path file = profile("image-ferry:\n  retries: many\n");

		// when / then
		assertThatExceptionOfType(ConfigurationException.class).isThrownBy(() -> JobProfileFile.load(file))
			.withMessageContaining("image-ferry.retries = 'many' is not valid");
	}

	@Test
	void aBandwidthLimitThatCannotWorkNamesTheKeyAndSaysWhatWould() throws IOException {
		// given
		Path file = profile("image-ferry:\n  bandwidth-limit: 50MB\n");

		// when / then
		assertThatExceptionOfType(ConfigurationException.class).isThrownBy(() -> JobProfileFile.load(file))
			.withMessageContaining("image-ferry.bandwidth-limit = '50MB' is not valid")
			.withMessageContaining(
					"write a rate such as 50MB/s, off, or a timetable such as \"08:00,50MB/s 20:00,off\"");
	}

	@Test
	void aBandwidthTimetableAndAnUnquotedOffAreBound() throws IOException {
		// given: YAML reads an unquoted off as false
		Path timetable = profile("image-ferry:\n  bandwidth-limit: \"08:00,50MB/s 20:00,off\"\n");
		Path off = Files.writeString(this.dir.resolve("off.yml"), "image-ferry:\n  bandwidth-limit: off\n");
		Path absent = Files.writeString(this.dir.resolve("absent.yml"), "image-ferry:\n  retries: 2\n");

		// when
		FerryProperties capped = JobProfileFile.load(timetable);

		// then
		assertThat(capped.bandwidthLimit().steps()).hasSize(2);
		assertThat(capped.bandwidthLimit().steps().get(0).bytesPerSecond()).isEqualTo(50L * 1024 * 1024);
		assertThat(JobProfileFile.load(off).bandwidthLimit().off()).isTrue();
		assertThat(JobProfileFile.load(absent).bandwidthLimit().off()).isTrue();
	}

	@Test
	void aFileThatIsNotYamlIsNamed() throws IOException {
		// given
		Path file = profile("image-ferry:\n  source: { region: DFW\n\t- [\n");

		// when / then
		assertThatExceptionOfType(ConfigurationException.class).isThrownBy(() -> JobProfileFile.load(file))
			.withMessageStartingWith("job profile " + file + " is not valid YAML: ");
	}

	@Test
	void theEditDistanceCountsInsertionsDeletionsAndSubstitutions() {
		assertThat(Map.of("poll-intervall", JobProfileFile.distance("poll-intervall", "poll-interval"), "retires",
				JobProfileFile.distance("retires", "retries"), "same", JobProfileFile.distance("same", "same")))
			.isEqualTo(Map.of("poll-intervall", 1, "retires", 2, "same", 0));
	}

}

package org.imageferry.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.Inspection;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMixTests {

	@Test
	void countsRequestsByMethodAndPathShapeLeavingTheInspectionOut() {
		// given
		List<Inspection.RequestView> log = List.of(
				request("files", "HEAD",
						"/files/DFW/v1/MossoCloudFS_100001/exports/" + "6d249a42-55a5-487a-93db-7414c1959b95.vhd"),
				request("files", "HEAD",
						"/files/DFW/v1/MossoCloudFS_100002/exports/4d6a3519-7959-46e0-8d5d-c23dde089c51.vhd"),
				request("files", "GET",
						"/files/DFW/v1/MossoCloudFS_100001/exports/4d6a3519-7959-46e0-8d5d-c23dde089c51.vhd-00001"),
				request("_admin", "GET", "/_admin/requests"));

		// when
		RequestMix mix = RequestMix.of(2, 12, 1.5, log);

		// then
		assertThat(mix.counts()).containsExactlyInAnyOrderEntriesOf(
				Map.of("HEAD /files/DFW/v1/A/exports/{id}.vhd", 2L, "GET /files/DFW/v1/A/exports/{id}.vhd-00001", 1L));
		assertThat(mix.total()).isEqualTo(3);
	}

	@Test
	void sharesSpreadEachKindOverTheImagesAndAddUpToItsCount() {
		// given 392 bulk deletes and 2,000 HEADs over 1,000 images
		RequestMix mix = new RequestMix(1000, 12, 10,
				Map.of("DELETE /files/DFW/v1/A", 392L, "HEAD /files/DFW/v1/A/exports/{id}.vhd", 2000L));

		// when
		int[] deletes = IntStream.range(0, 1000).map((i) -> mix.share("DELETE /files/DFW/v1/A", i)).toArray();
		int[] heads = IntStream.range(0, 1000)
			.map((i) -> mix.share("HEAD /files/DFW/v1/A/exports/{id}.vhd", i))
			.toArray();

		// then
		assertThat(IntStream.of(deletes).sum()).isEqualTo(392);
		assertThat(IntStream.of(deletes).max().getAsInt()).isEqualTo(1);
		assertThat(deletes[999]).isEqualTo(1);
		assertThat(heads).containsOnly(2);
		assertThat(mix.share("GET /nothing", 5)).isZero();
	}

	@Test
	void aWrittenMixReadsBackAndTellsWhereAnotherDiffers(@TempDir Path dir) throws Exception {
		// given
		RequestMix job = new RequestMix(10, 12, 3.25, Map.of("GET /images/DFW/v2/images/{id}", 20L,
				"POST /images/DFW/v2/tasks", 10L, "POST /v2.0/tokens", 1L));
		job.write(dir.resolve("mix.tsv"));

		// when
		RequestMix read = RequestMix.read(dir.resolve("mix.tsv"));
		RequestMix replayed = new RequestMix(10, 12, 2,
				Map.of("GET /images/DFW/v2/images/{id}", 21L, "POST /images/DFW/v2/tasks", 10L));

		// then
		assertThat(read).isEqualTo(job);
		assertThat(job.differences(read)).isEmpty();
		assertThat(job.differences(replayed)).containsExactly("GET images/DFW/images/{id} +1", "POST v2.0/tokens -1");
	}

	private static Inspection.RequestView request(String service, String method, String path) {
		return new Inspection.RequestView(service, "DFW", method, path, 200, null, Instant.EPOCH);
	}

}

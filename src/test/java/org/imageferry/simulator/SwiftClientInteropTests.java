package org.imageferry.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.content.SyntheticVhd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Cloud Files against {@code swift} (python3-swiftclient), a client no one
 * here wrote: authentication through Identity v2.0 and the catalog, segmented uploads as
 * Dynamic and Static Large Objects, listings, {@code stat}, downloads checked by MD5 —
 * and a download of what an export task wrote.
 */
class SwiftClientInteropTests {

	private static final int MIB = 1024 * 1024;

	private SimulatedCloud cloud;

	private InteropClients clients;

	@TempDir
	Path dir;

	@BeforeEach
	void startCloud() throws Exception {
		this.cloud = InteropClients.startCloud();
		this.clients = new InteropClients(this.cloud, "ORD");
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	@Test
	void segmentedUploadIsADynamicLargeObjectThatDownloadsIntact() throws Exception {
		// given
		Path original = randomFile("disk.img", 5 * MIB + 123);

		// when
		this.clients.swiftOk("upload", "--segment-size", Integer.toString(MIB), "--object-name", "disk.img", "images",
				original.toString());

		// then
		assertThat(lines(this.clients.swiftOk("list", "images"))).containsExactly("disk.img");
		List<String> segments = lines(this.clients.swiftOk("list", "images_segments", "--prefix", "disk.img/"));
		assertThat(segments).hasSize(6).allMatch((s) -> s.startsWith("disk.img/"));
		assertThat(lines(this.clients.swiftOk("list", "images_segments", "--prefix", "nothing-here"))).isEmpty();
		Map<String, String> stat = InteropClients.headers(this.clients.swiftOk("stat", "images", "disk.img"));
		assertThat(stat).containsEntry("Content Length", Long.toString(Files.size(original)))
			.containsEntry("Container", "images")
			.containsEntry("Account", "MossoCloudFS_" + InteropClients.ALICE_TENANT);
		assertThat(stat.get("Manifest")).startsWith("images_segments/disk.img/");
		assertThat(this.cloud.inspect().objects("ORD", InteropClients.ALICE_TENANT))
			.filteredOn((o) -> o.name().equals("disk.img"))
			.singleElement()
			.satisfies((o) -> assertThat(o.dloManifest()).isEqualTo(stat.get("Manifest")));
		Path copy = this.dir.resolve("copy.img");
		this.clients.swiftOk("download", "images", "disk.img", "--output", copy.toString());
		assertThat(InteropClients.md5(copy)).isEqualTo(InteropClients.md5(original));
	}

	@Test
	void staticLargeObjectUploadDownloadsIntact() throws Exception {
		// given
		Path original = randomFile("slo.img", 4 * MIB + 7);

		// when
		this.clients.swiftOk("upload", "--use-slo", "--segment-size", Integer.toString(MIB), "--object-name", "slo.img",
				"images", original.toString());

		// then
		assertThat(lines(this.clients.swiftOk("list", "images", "--prefix", "slo"))).containsExactly("slo.img");
		assertThat(lines(this.clients.swiftOk("list", "images_segments", "--prefix", "slo.img/"))).hasSize(5);
		Map<String, String> stat = InteropClients.headers(this.clients.swiftOk("stat", "images", "slo.img"));
		assertThat(stat).containsEntry("Content Length", Long.toString(Files.size(original)))
			.containsEntry("X-Static-Large-Object", "True")
			.doesNotContainKey("Manifest");
		assertThat(this.cloud.inspect().objects("ORD", InteropClients.ALICE_TENANT))
			.filteredOn((o) -> o.name().equals("slo.img"))
			.singleElement()
			.satisfies((o) -> assertThat(o.staticLargeObject()).isTrue());
		Path copy = this.dir.resolve("copy.img");
		this.clients.swiftOk("download", "images", "slo.img", "--output", copy.toString());
		assertThat(InteropClients.md5(copy)).isEqualTo(InteropClients.md5(original));
	}

	@Test
	void exportedImageDownloadsAsTheImagesVhd() throws Exception {
		// given
		SyntheticVhd vhd = SyntheticVhd.dynamic(32L * MIB, 7);
		String imageId = this.cloud.addImage(ImageSeed.of("ORD", InteropClients.ALICE_TENANT, "web-1", vhd));
		this.cloud.createContainer("ORD", InteropClients.ALICE_TENANT, "exports");
		String token = this.clients.token();
		String taskId = this.clients.export(token, imageId, "exports");
		Inspection.TaskView task = this.clients.awaitSuccess(taskId);

		// when
		Path copy = this.dir.resolve("exported.vhd");
		this.clients.swiftOk("download", "exports", imageId + ".vhd", "--output", copy.toString());

		// then
		assertThat(task.result().path("export_location").asText()).isEqualTo("exports/" + imageId + ".vhd");
		assertThat(Files.size(copy)).isEqualTo(vhd.length());
		assertThat(InteropClients.md5(copy)).isEqualTo(InteropClients.md5(vhd));
		long segmentSize = this.cloud.config().segmentSize();
		List<String> listed = lines(this.clients.swiftOk("list", "exports", "--prefix", imageId + ".vhd-"));
		assertThat(listed).hasSize((int) ((vhd.length() + segmentSize - 1) / segmentSize))
			.startsWith(imageId + ".vhd-00001", imageId + ".vhd-00002");
		Map<String, String> stat = InteropClients.headers(this.clients.swiftOk("stat", "exports", imageId + ".vhd"));
		assertThat(stat).containsEntry("Manifest", "exports/" + imageId + ".vhd-")
			.containsEntry("Content Length", Long.toString(vhd.length()));
	}

	@Test
	void downloadOfAnIdenticalExportIsSkippedWithoutStreamingTheImage() throws Exception {
		// given
		SyntheticVhd vhd = SyntheticVhd.fixed(8L * MIB, 8);
		String imageId = this.cloud.addImage(ImageSeed.of("ORD", InteropClients.ALICE_TENANT, "web-2", vhd));
		this.cloud.createContainer("ORD", InteropClients.ALICE_TENANT, "exports");
		this.clients.awaitSuccess(this.clients.export(this.clients.token(), imageId, "exports"));
		Path copy = this.dir.resolve("exported.vhd");
		this.clients.swiftOk("download", "exports", imageId + ".vhd", "--output", copy.toString());

		// when
		String output = this.clients.swiftOk("--debug", "download", "--skip-identical", "exports", imageId + ".vhd",
				"--output", copy.toString());

		// then
		assertThat(output).contains("Skipped identical file '" + imageId + ".vhd'");
		// swift asks for the manifest itself (?multipart-manifest=get), and compares the
		// segments it lists; Swift's DLO middleware then serves the zero-byte manifest,
		// not the image
		assertThat(output.lines().filter((l) -> l.contains("?multipart-manifest=get HTTP/1.1\""))).singleElement()
			.satisfies((line) -> assertThat(line).endsWith("\" 200 0"));
	}

	@Test
	void postCreatesAMissingContainerAndUpdatesAnExistingOne() {
		// given
		assertThat(lines(this.clients.swiftOk("list"))).doesNotContain("exports");

		// when
		this.clients.swiftOk("post", "exports");
		this.clients.swiftOk("post", "exports");

		// then
		assertThat(lines(this.clients.swiftOk("list"))).contains("exports");
		assertThat(InteropClients.headers(this.clients.swiftOk("stat", "exports"))).containsEntry("Container",
				"exports");
	}

	private Path randomFile(String name, int size) throws Exception {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return Files.write(this.dir.resolve(name), bytes);
	}

	private static List<String> lines(String output) {
		return output.lines().map(String::trim).filter((l) -> !l.isEmpty()).toList();
	}

}

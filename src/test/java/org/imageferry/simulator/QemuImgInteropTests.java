package org.imageferry.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's VHDs against {@code qemu-img} (qemu-utils), a VHD implementation no one
 * here wrote: what an export task writes is a VHD qemu reads with the image's exact
 * virtual size and data, and VHDs qemu creates import as Rackspace would accept them.
 */
class QemuImgInteropTests {

	private static final String REGION = "DFW";

	private static final long MIB = 1024 * 1024;

	private SimulatedCloud cloud;

	private InteropClients clients;

	private String token;

	@TempDir
	Path dir;

	@BeforeEach
	void startCloud() throws Exception {
		this.cloud = InteropClients.startCloud();
		this.clients = new InteropClients(this.cloud, REGION);
		this.token = this.clients.token();
		this.cloud.createContainer(REGION, InteropClients.ALICE_TENANT, "exports");
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	static Stream<Arguments> syntheticVhds() {
		return Stream.of(Arguments.of("fixed", SyntheticVhd.fixed(8 * MIB + 512, 11)),
				Arguments.of("dynamic", SyntheticVhd.dynamic(40 * MIB, 12)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("syntheticVhds")
	void exportedImageIsAVhdQemuReads(String kind, SyntheticVhd vhd) throws Exception {
		// given
		Path qemuImg = ExternalTools.require("qemu-img");
		String imageId = this.cloud.addImage(ImageSeed.of(REGION, InteropClients.ALICE_TENANT, kind, vhd));
		this.clients.awaitSuccess(this.clients.export(this.token, imageId, "exports"));
		Path exported = this.dir.resolve("exported.vhd");
		HttpResponse<Path> download = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(
					this.cloud.filesUrl(REGION, InteropClients.ALICE_TENANT, false) + "/exports/" + imageId + ".vhd"))
				.header("X-Auth-Token", this.token)
				.build(), HttpResponse.BodyHandlers.ofFile(exported));

		// when
		JsonNode info = InteropClients
			.json(ExternalTools.runOk(qemuImg, "info", "-f", "vpc", "--output=json", exported.toString()));
		Path raw = this.dir.resolve("disk.raw");
		ExternalTools.runOk(qemuImg, "convert", "-f", "vpc", "-O", "raw", exported.toString(), raw.toString());

		// then
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("X-Object-Manifest")).contains("exports/" + imageId + ".vhd-");
		assertThat(vhd.length()).as("more than one segment").isGreaterThan(this.cloud.config().segmentSize());
		assertThat(Files.size(exported)).isEqualTo(vhd.length());
		assertThat(info.path("format").asText()).isEqualTo("vpc");
		assertThat(info.path("virtual-size").asLong()).isEqualTo(vhd.virtualSize());
		assertThat(Files.size(raw)).isEqualTo(vhd.virtualSize());
		assertThat(InteropClients.md5(raw)).isEqualTo(InteropClients.md5(vhd.disk()));
	}

	static Stream<Arguments> qemuVhds() {
		return Stream.of(Arguments.of("fixed", true), Arguments.of("fixed", false), Arguments.of("dynamic", true),
				Arguments.of("dynamic", false));
	}

	@ParameterizedTest(name = "{0}, as a large object: {1}")
	@MethodSource("qemuVhds")
	void vhdMadeByQemuImports(String subformat, boolean largeObject) throws Exception {
		// given
		Path qemuImg = ExternalTools.require("qemu-img");
		Path vhd = this.dir.resolve(subformat + ".vhd");
		ExternalTools.runOk(qemuImg, "create", "-f", "vpc", "-o", "subformat=" + subformat, vhd.toString(), "64M");
		long size = Files.size(vhd);
		long segmentSize = Math.max(512, size / 4);
		String object = subformat + (largeObject ? "-dlo" : "-plain") + ".vhd";
		if (largeObject) {
			this.clients.swiftOk("upload", "--segment-size", Long.toString(segmentSize), "--object-name", object,
					"uploads", vhd.toString());
		}
		else {
			this.clients.swiftOk("upload", "--object-name", object, "uploads", vhd.toString());
		}
		String name = "qemu " + subformat;

		// when
		Inspection.TaskView task = this.clients.awaitEnd(this.clients.ingest(this.token, "uploads/" + object, name));

		// then
		assertThat(this.cloud.inspect().objects(REGION, InteropClients.ALICE_TENANT))
			.filteredOn((o) -> o.name().equals(object))
			.singleElement()
			.satisfies((o) -> {
				assertThat(o.dloManifest() != null).isEqualTo(largeObject);
				assertThat(o.bytes()).isEqualTo(size);
			});
		assertThat(task.status()).as(task.message()).isEqualTo("success");
		String imageId = task.result().path("image_id").asText();
		assertThat(this.cloud.inspect().images()).filteredOn((i) -> i.id().equals(imageId))
			.singleElement()
			.satisfies((i) -> {
				assertThat(i.name()).isEqualTo(name);
				assertThat(i.owner()).isEqualTo(InteropClients.ALICE_TENANT);
				assertThat(i.status()).isEqualTo("active");
				assertThat(i.size()).isEqualTo(size);
			});
	}

}

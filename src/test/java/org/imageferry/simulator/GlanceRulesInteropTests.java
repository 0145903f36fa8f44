package org.imageferry.simulator;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.testsupport.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict rules ({@link Rules#protectedProperties()}, {@code export} refused as a
 * listing filter) and the tag calls, seen through {@code glance} (python3-glanceclient):
 * what it makes of the simulator's 403s and 400s, and that what the rules allow still
 * works.
 */
class GlanceRulesInteropTests {

	private static final String REGION = "IAD";

	private SimulatedCloud cloud;

	private InteropClients clients;

	private String token;

	private String image;

	@BeforeEach
	void startCloud() throws Exception {
		this.cloud = InteropClients.startCloud();
		this.cloud.rules(this.cloud.rules()
			.toBuilder()
			.protectedProperties(true)
			.refusedTaskTypeFilters(Set.of("export"))
			.build());
		this.clients = new InteropClients(this.cloud, REGION);
		this.token = this.clients.token();
		this.cloud.createContainer(REGION, InteropClients.ALICE_TENANT, "exports");
		this.image = this.cloud.addImage(
				ImageSeed.of(REGION, InteropClients.ALICE_TENANT, "web-1", SyntheticVhd.dynamic(8L * 1024 * 1024, 1)));
	}

	@AfterEach
	void stopCloud() {
		this.cloud.close();
	}

	private Map<String, String> imageProperties() {
		return this.cloud.inspect()
			.images()
			.stream()
			.filter((i) -> i.id().equals(this.image))
			.findFirst()
			.orElseThrow()
			.properties();
	}

	@Test
	void imageUpdateOfAllowedPropertiesSucceeds() {
		// when
		Map<String, String> updated = InteropClients
			.properties(this.clients.glanceOk(this.token, "image-update", "--name", "web-2", "--min-disk", "40",
					"--property", "vm_mode=hvm", "--property", "app=web", this.image));

		// then
		assertThat(updated).containsEntry("name", "web-2")
			.containsEntry("min_disk", "40")
			.containsEntry("vm_mode", "hvm")
			.containsEntry("app", "web")
			.containsEntry("os_type", "linux");
		assertThat(imageProperties()).containsEntry("app", "web");
	}

	@Test
	void imageUpdateOfAProtectedPropertyFailsWithThe403() {
		// when
		ExternalTools.Result replace = this.clients.glance(this.token, "image-update", "--property", "os_type=windows",
				"--property", "app=web", this.image);
		ExternalTools.Result remove = this.clients.glance(this.token, "image-update", "--remove-property",
				"org.openstack__1__os_distro", this.image);

		// then
		assertThat(replace.exitCode()).as(replace.output()).isNotZero();
		assertThat(replace.output()).contains("403", "Attribute 'os_type' is reserved.");
		assertThat(remove.exitCode()).as(remove.output()).isNotZero();
		assertThat(remove.output()).contains("403", "Attribute 'org.openstack__1__os_distro' is reserved.");
		assertThat(imageProperties()).containsEntry("os_type", "linux")
			.containsEntry("org.openstack__1__os_distro", "com.ubuntu")
			.doesNotContainKey("app");
	}

	@Test
	void imageTagUpdateAndDeleteWork() {
		// when
		this.clients.glanceOk(this.token, "image-tag-update", this.image, "migrated");
		List<String> afterUpdate = tags();
		this.clients.glanceOk(this.token, "image-tag-delete", this.image, "migrated");
		ExternalTools.Result deleteAgain = this.clients.glance(this.token, "image-tag-delete", this.image, "migrated");

		// then
		assertThat(afterUpdate).containsExactly("migrated");
		assertThat(tags()).isEmpty();
		assertThat(deleteAgain.exitCode()).as(deleteAgain.output()).isNotZero();
		assertThat(deleteAgain.output()).contains("404");
	}

	private List<String> tags() {
		return this.cloud.inspect()
			.images()
			.stream()
			.filter((i) -> i.id().equals(this.image))
			.findFirst()
			.orElseThrow()
			.tags();
	}

	@Test
	void tasksAreCreatedShownAndListedByImportWhileAnExportFilterIsRefused() throws Exception {
		// given
		this.clients.awaitSuccess(this.clients.export(this.token, this.image, "exports"));

		// when
		Map<String, String> created = InteropClients.properties(this.clients.glanceOk(this.token, "task-create",
				"--type", "import", "--input",
				"{\"import_from\": \"exports/" + this.image + ".vhd\", \"image_properties\": {\"name\": \"copy\"}}"));
		this.clients.awaitEnd(created.get("id"));
		Map<String, String> shown = InteropClients
			.properties(this.clients.glanceOk(this.token, "task-show", created.get("id")));
		List<List<String>> imports = InteropClients
			.rows(this.clients.glanceOk(this.token, "task-list", "--type", "import"));
		ExternalTools.Result exports = this.clients.glance(this.token, "task-list", "--type", "export");

		// then
		assertThat(created).containsEntry("type", "import").containsEntry("status", "pending");
		assertThat(shown).containsEntry("id", created.get("id")).containsEntry("status", "success");
		assertThat(imports).hasSize(2);
		assertThat(imports.get(1)).containsExactly(created.get("id"), "import", "success", InteropClients.ALICE_TENANT);
		assertThat(exports.exitCode()).as(exports.output()).isNotZero();
		assertThat(exports.output()).contains("400", "Invalid type value: export");
	}

}

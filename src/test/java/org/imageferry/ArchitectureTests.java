package org.imageferry;

import java.net.URLConnection;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.imageferry.export.Preflight;
import org.imageferry.ingest.Provenance;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package boundaries, one rule per sentence of the {@code package-info.java} files:
 * what a package says it may not import is checked here on the compiled classes, so a new
 * dependency that crosses a boundary fails the build instead of waiting for a review. A
 * known exception is named in its rule with its reason rather than hidden by a weaker
 * rule.
 */
@AnalyzeClasses(packages = "org.imageferry",
		importOptions = { ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class })
class ArchitectureTests {

	private static final String ROOT = "org.imageferry";

	private static final String ANY_IMAGE_FERRY = "org.imageferry..";

	private static final String CLI = "org.imageferry.cli..";

	private static final String JOB = "org.imageferry.job..";

	private static final String MANIFEST = "org.imageferry.manifest..";

	private static final String LEDGER = "org.imageferry.ledger..";

	private static final String EXPORT = "org.imageferry.export..";

	private static final String AWAIT = "org.imageferry.await..";

	private static final String TRANSFER = "org.imageferry.transfer..";

	private static final String INGEST = "org.imageferry.ingest..";

	private static final String REPORT = "org.imageferry.report..";

	private static final String CLOUD = "org.imageferry.cloud..";

	private static final String VHD = "org.imageferry.vhd..";

	private static final String WORKER = "org.imageferry.worker..";

	private static final String DEMO = "org.imageferry.demo..";

	private static final String SIMULATOR = "org.imageferry.simulator..";

	private static final String SPRING_BATCH = "org.springframework.batch..";

	/**
	 * Known exception to "a stage reaches the cloud only through cloud": {@code ingest}
	 * builds the JSON patch from OpenStack4j's {@code PatchOperation} values, the type
	 * {@code cloud.ImagesClient} sends. A value type, not a client; a patch type of
	 * {@code cloud}'s own would remove it.
	 */
	private static final DescribedPredicate<JavaClass> OPENSTACK4J_PATCH_VALUES = nameStartingWith(
			"org.openstack4j.openstack.image.v2.domain.PatchOperation")
		.<JavaClass>forSubtype()
		.as("OpenStack4j's PatchOperation (known exception)");

	private static final DescribedPredicate<JavaClass> HTTP_CLIENTS_AND_OPENSTACK4J = resideInAnyPackage(
			"java.net.http..", "org.openstack4j..")
		.or(assignableTo(URLConnection.class))
		.and(not(OPENSTACK4J_PATCH_VALUES))
		.as("an HTTP client or OpenStack4j");

	// org.imageferry

	@ArchTest
	static final ArchRule the_product_never_depends_on_the_simulator = noClasses().that()
		.resideOutsideOfPackages(SIMULATOR, DEMO)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(SIMULATOR)
		.because("a user pointing at the real cloud loads none of it; only demo and the tests know it");

	@ArchTest
	static final ArchRule no_class_imports_demo = noClasses().that()
		.resideOutsideOfPackage(DEMO)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(DEMO)
		.because("the demo is a main class of its own");

	@ArchTest
	static final ArchRule there_are_no_cycles_between_packages = slices().matching("org.imageferry.(*)..")
		.should()
		.beFreeOfCycles();

	// cli, job

	@ArchTest
	static final ArchRule only_the_root_package_imports_cli = noClasses().that()
		.resideOutsideOfPackages(ROOT, CLI)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(CLI)
		.because("nothing the commands drive knows how it was started");

	@ArchTest
	static final ArchRule job_imports_no_cli = noClasses().that()
		.resideInAPackage(JOB)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(CLI)
		.because("the commands start the job, not the other way round");

	// manifest, ledger

	@ArchTest
	static final ArchRule manifest_imports_no_other_image_ferry_package = noClasses().that()
		.resideInAPackage(MANIFEST)
		.should()
		.dependOnClassesThat(resideInAPackage(ANY_IMAGE_FERRY).and(not(resideInAPackage(MANIFEST))))
		.because("it knows text, not the cloud nor the job");

	@ArchTest
	static final ArchRule ledger_imports_only_manifest = noClasses().that()
		.resideInAPackage(LEDGER)
		.should()
		.dependOnClassesThat(resideInAPackage(ANY_IMAGE_FERRY).and(not(resideInAnyPackage(LEDGER, MANIFEST))))
		.because("what an image's state means must not depend on how the stages do their work");

	@ArchTest
	static final ArchRule ledger_knows_nothing_of_spring_batch = noClasses().that()
		.resideInAPackage(LEDGER)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(SPRING_BATCH)
		.because("restart state that outlives a step is in a table, not in a step's execution context");

	// the stages: export, transfer, ingest; and await, the task lifecycle they share

	@ArchTest
	static final ArchRule a_stage_imports_no_other_stage = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.layer("export")
		.definedBy(EXPORT)
		.layer("transfer")
		.definedBy(TRANSFER)
		.layer("ingest")
		.definedBy(INGEST)
		.whereLayer("export")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("transfer")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("ingest")
		.mayNotBeAccessedByAnyLayer()
		// Known exception: pre-flight looks for the provenance property finishing writes.
		// It is a value of the target's images that belongs in cloud or ledger, not
		// ingest.
		.ignoreDependency(Preflight.class, Provenance.class)
		.as("a stage imports no other stage (known exception: export.Preflight reads ingest.Provenance)")
		.because("stages meet in the ledger");

	@ArchTest
	static final ArchRule await_imports_no_stage = noClasses().that()
		.resideInAPackage(AWAIT)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(EXPORT, TRANSFER, INGEST)
		.because("the stages use it");

	@ArchTest
	static final ArchRule stages_and_await_import_neither_job_cli_nor_report = noClasses().that()
		.resideInAnyPackage(EXPORT, AWAIT, TRANSFER, INGEST)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(JOB, CLI, REPORT)
		.because("the pump calls the stages, never the other way round");

	@ArchTest
	static final ArchRule stages_and_await_reach_the_cloud_only_through_cloud = noClasses().that()
		.resideInAnyPackage(EXPORT, AWAIT, TRANSFER, INGEST)
		.should()
		.dependOnClassesThat(HTTP_CLIENTS_AND_OPENSTACK4J)
		.as("stages and await reach the cloud only through cloud (known exception: OpenStack4j's PatchOperation)")
		.because("retries, tokens, TLS and pacing live in cloud, once");

	// worker

	@ArchTest
	static final ArchRule nothing_the_worker_builds_on_imports_worker = noClasses().that()
		.resideInAnyPackage(JOB, LEDGER, EXPORT, AWAIT, TRANSFER, INGEST, REPORT, CLOUD)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(WORKER)
		.because("the manager step joins the job by its name; the stages meet the workers in the ledger");

	@ArchTest
	static final ArchRule worker_imports_no_cli = noClasses().that()
		.resideInAPackage(WORKER)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(CLI)
		.because("the worker command starts a worker, not the other way round");

	@ArchTest
	static final ArchRule worker_reaches_the_cloud_only_through_cloud = noClasses().that()
		.resideInAPackage(WORKER)
		.should()
		.dependOnClassesThat(HTTP_CLIENTS_AND_OPENSTACK4J)
		.because("its copies are the transfer stage's");

	// report

	@ArchTest
	static final ArchRule report_imports_no_stage_nor_job_or_cli = noClasses().that()
		.resideInAPackage(REPORT)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(EXPORT, AWAIT, TRANSFER, INGEST, JOB, CLI)
		.because("it formats what the ledger and the job repository hold, for any run, without running anything");

	// cloud, vhd

	@ArchTest
	static final ArchRule cloud_imports_no_other_image_ferry_package = noClasses().that()
		.resideInAPackage(CLOUD)
		.should()
		.dependOnClassesThat(resideInAPackage(ANY_IMAGE_FERRY).and(not(resideInAPackage(CLOUD))))
		.because("it knows HTTP and Rackspace, and can be tested and replaced without a job");

	@ArchTest
	static final ArchRule cloud_knows_nothing_of_spring_batch = noClasses().that()
		.resideInAPackage(CLOUD)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(SPRING_BATCH);

	@ArchTest
	static final ArchRule vhd_imports_no_other_image_ferry_package = noClasses().that()
		.resideInAPackage(VHD)
		.should()
		.dependOnClassesThat(resideInAPackage(ANY_IMAGE_FERRY).and(not(resideInAPackage(VHD))))
		.because("both the product and the simulator use it");

	// simulator

	@ArchTest
	static final ArchRule the_simulator_imports_of_the_product_only_vhd = noClasses().that()
		.resideInAPackage(SIMULATOR)
		.should()
		.dependOnClassesThat(resideInAPackage(ANY_IMAGE_FERRY).and(not(resideInAnyPackage(SIMULATOR, VHD))))
		.because("it stands in for the cloud, which knows nothing of image-ferry");

	@ArchTest
	static final ArchRule the_simulators_import_check_imports_not_even_vhd = noClasses().that()
		.haveFullyQualifiedName("org.imageferry.simulator.VhdCheck")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(VHD)
		.because("a bug in vhd must not hide by being on both sides of the check");

	@ArchTest
	static final ArchRule the_simulator_uses_no_spring = noClasses().that()
		.resideInAPackage(SIMULATOR)
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework..")
		.because("it starts in milliseconds in a test and from the jar alone");

}

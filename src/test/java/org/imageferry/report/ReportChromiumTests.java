package org.imageferry.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.imageferry.testsupport.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report as a browser shows it: headless Chromium renders the page of a run with
 * failed, invalid and already-migrated lines, and the timeline's bars are really drawn in
 * their phases' colours. The screenshot is kept in {@code target/report-chromium/} to
 * look at.
 */
class ReportChromiumTests {

	private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--hide-scrollbars", "--force-color-profile=srgb", "--force-device-scale-factor=1");

	@TempDir
	Path dir;

	@Test
	void renderedPageShowsTheTimeline() throws Exception {
		// given
		Path chromium = ExternalTools.require("chromium");
		Path html = ReportWriter.write(ReportFixtures.RUN, ReportFixtures.items(), this.dir.resolve("reports")).get(2);

		// when
		String dom = ExternalTools.runOk(chromium, arguments("--dump-dom", html.toUri().toString()));

		// then
		String svg = dom.substring(dom.indexOf("<svg id=\"timeline\""), dom.indexOf("</svg>"));
		assertThat(HtmlReportTests.count(svg, "class=\"phase-export\"")).isEqualTo(4);
		assertThat(HtmlReportTests.count(svg, "class=\"phase-transfer\"")).isEqualTo(4);
		assertThat(HtmlReportTests.count(svg, "class=\"phase-import\"")).isEqualTo(3);
		assertThat(HtmlReportTests.count(svg, "class=\"phase-finish\"")).isEqualTo(2);
		assertThat(dom).doesNotContain("<script");
	}

	@Test
	void screenshotShowsBarsInThePhasesColours() throws Exception {
		// given
		Path chromium = ExternalTools.require("chromium");
		Path html = ReportWriter.write(ReportFixtures.RUN, ReportFixtures.items(), this.dir.resolve("reports")).get(2);
		Path png = this.dir.resolve("report.png");

		// when
		ExternalTools.runOk(chromium,
				arguments("--screenshot=" + png, "--window-size=1200,900", html.toUri().toString()));

		// then
		BufferedImage screenshot = ImageIO.read(png.toFile());
		keep(png);
		assertThat(screenshot.getWidth()).isEqualTo(1200);
		assertThat(pixels(screenshot, TimelineSvg.EXPORT_COLOUR)).as("export pixels").isGreaterThan(500);
		assertThat(pixels(screenshot, TimelineSvg.TRANSFER_COLOUR)).as("transfer pixels").isGreaterThan(500);
		assertThat(pixels(screenshot, TimelineSvg.IMPORT_COLOUR)).as("import pixels").isGreaterThan(500);
	}

	private String[] arguments(String... last) throws IOException {
		Path profile = Files.createDirectories(this.dir.resolve("chromium-profile"));
		List<String> arguments = new ArrayList<>(FLAGS);
		arguments.add("--user-data-dir=" + profile);
		arguments.addAll(List.of(last));
		return arguments.toArray(String[]::new);
	}

	private static long pixels(BufferedImage image, String hex) {
		int rgb = Integer.parseInt(hex.substring(1), 16);
		long count = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				if ((image.getRGB(x, y) & 0xffffff) == rgb) {
					count++;
				}
			}
		}
		return count;
	}

	private static void keep(Path png) throws IOException {
		Path kept = Files.createDirectories(Path.of("target", "report-chromium"));
		Files.copy(png, kept.resolve("report.png"), StandardCopyOption.REPLACE_EXISTING);
	}

}

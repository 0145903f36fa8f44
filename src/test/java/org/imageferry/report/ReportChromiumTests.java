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
 * their phases' colours; the page of a run stopped and restarted shows the pause as a
 * band the bars do not cross. The screenshots are kept in {@code target/report-chromium/}
 * to look at.
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
		keep(png, "report.png");
		assertThat(screenshot.getWidth()).isEqualTo(1200);
		assertThat(pixels(screenshot, TimelineSvg.EXPORT_COLOUR)).as("export pixels").isGreaterThan(500);
		assertThat(pixels(screenshot, TimelineSvg.TRANSFER_COLOUR)).as("transfer pixels").isGreaterThan(500);
		assertThat(pixels(screenshot, TimelineSvg.IMPORT_COLOUR)).as("import pixels").isGreaterThan(500);
	}

	@Test
	void aStoppedAndRestartedRunShowsThePauseAndNoBarCrossesIt() throws Exception {
		// given
		Path chromium = ExternalTools.require("chromium");
		Path html = ReportWriter.write(ReportFixtures.RESTARTED, ReportFixtures.items(), this.dir.resolve("reports"))
			.get(2);
		Path png = this.dir.resolve("restarted.png");

		// when
		String dom = ExternalTools.runOk(chromium, arguments("--dump-dom", html.toUri().toString()));
		ExternalTools.runOk(chromium,
				arguments("--screenshot=" + png, "--window-size=1200,1000", html.toUri().toString()));

		// then
		assertThat(dom).contains("class=\"pause-band\"")
			.contains(">stopped 1m 09s</text>")
			.contains("<td>11m 05s (active 9m 56s, not running 1m 09s)</td>");
		BufferedImage screenshot = ImageIO.read(png.toFile());
		keep(png, "restarted.png");
		int pause = rgb(TimelineSvg.PAUSE_COLOUR);
		int[] band = columns(screenshot, pause, 50);
		assertThat(band).as("the pause's band").isNotNull();
		assertThat(band[1] - band[0]).as("band width").isGreaterThan(40);
		long inside = 0;
		long outside = 0;
		for (String colour : List.of(TimelineSvg.TRANSFER_COLOUR, TimelineSvg.IMPORT_COLOUR)) {
			int phase = rgb(colour);
			for (int x = 0; x < screenshot.getWidth(); x++) {
				long count = column(screenshot, x, phase);
				if (x > band[0] + 2 && x < band[1] - 2) {
					inside += count;
				}
				else {
					outside += count;
				}
			}
		}
		assertThat(inside).as("transfer and import pixels inside the pause").isZero();
		assertThat(outside).as("transfer and import pixels outside it").isGreaterThan(500);
	}

	private String[] arguments(String... last) throws IOException {
		Path profile = Files.createDirectories(this.dir.resolve("chromium-profile"));
		List<String> arguments = new ArrayList<>(FLAGS);
		arguments.add("--user-data-dir=" + profile);
		arguments.addAll(List.of(last));
		return arguments.toArray(String[]::new);
	}

	private static long pixels(BufferedImage image, String hex) {
		int rgb = rgb(hex);
		long count = 0;
		for (int x = 0; x < image.getWidth(); x++) {
			count += column(image, x, rgb);
		}
		return count;
	}

	private static int rgb(String hex) {
		return Integer.parseInt(hex.substring(1), 16);
	}

	private static long column(BufferedImage image, int x, int rgb) {
		long count = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			if ((image.getRGB(x, y) & 0xffffff) == rgb) {
				count++;
			}
		}
		return count;
	}

	/**
	 * @return the first and last column holding at least {@code atLeast} pixels of colour
	 * {@code rgb}, or {@code null} if none does
	 */
	private static int[] columns(BufferedImage image, int rgb, long atLeast) {
		int[] found = null;
		for (int x = 0; x < image.getWidth(); x++) {
			if (column(image, x, rgb) >= atLeast) {
				found = (found == null) ? new int[] { x, x } : new int[] { found[0], x };
			}
		}
		return found;
	}

	private static void keep(Path png, String name) throws IOException {
		Path kept = Files.createDirectories(Path.of("target", "report-chromium"));
		Files.copy(png, kept.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

}

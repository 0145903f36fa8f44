package org.imageferry.vhd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.imageferry.simulator.content.ContentRangeReader;
import org.imageferry.simulator.content.FileContent;
import org.imageferry.simulator.content.SyntheticVhd;
import org.imageferry.simulator.content.SyntheticVhd.Defect;
import org.imageferry.testsupport.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VhdValidatorTests {

	private static final long GIB = 1024L * 1024 * 1024;

	private static final long LIMIT = VhdValidator.DEFAULT_SIZE_LIMIT;

	@TempDir
	Path dir;

	@Test
	void acceptsSyntheticFixedAndDynamicDisks() throws IOException {
		assertThat(check(SyntheticVhd.fixed(64L << 20, 1))).isEmpty();
		assertThat(check(SyntheticVhd.dynamic(64L << 20, 2))).isEmpty();
		assertThat(check(SyntheticVhd.dynamic(160 * GIB, 3))).isEmpty();
		assertThat(check(SyntheticVhd.fixed(160 * GIB - 512, 4))).isEmpty();
	}

	@Test
	void acceptsDisksQemuMade() throws IOException {
		assertThat(VhdValidator.check(file(qemuVhd("fixed")), LIMIT)).isEmpty();
		assertThat(VhdValidator.check(file(qemuVhd("dynamic")), LIMIT)).isEmpty();
	}

	@Test
	void readsOnlyTheStructuresNeverTheData() throws IOException {
		CountingReader reader = new CountingReader(ContentRangeReader.of(SyntheticVhd.dynamic(39 * GIB, 5, 1)));

		assertThat(VhdValidator.check(reader, LIMIT)).isEmpty();
		long bat = 4L * (39 * GIB / DynamicHeader.DEFAULT_BLOCK_SIZE);
		assertThat(reader.bytesRead).isEqualTo(VhdFooter.SIZE * 2 + DynamicHeader.SIZE + bat);
	}

	@Test
	void aDynamicDiskCutShortWithItsFooterKeptIsUnspecified() throws IOException {
		// given: the blocks' tail is lost, the footer (and its copy) kept, as a truncated
		// copy would be
		SyntheticVhd whole = SyntheticVhd.dynamic(8 << 20, 3, 1);
		byte[] bytes = whole.open().readAllBytes();
		byte[] cut = new byte[bytes.length - (1 << 20)];
		System.arraycopy(bytes, 0, cut, 0, cut.length - VhdFooter.SIZE);
		System.arraycopy(bytes, bytes.length - VhdFooter.SIZE, cut, cut.length - VhdFooter.SIZE, VhdFooter.SIZE);

		// when / then
		assertThat(VhdValidator.check(bytes(bytes), LIMIT)).isEmpty();
		assertThat(VhdValidator.check(bytes(cut), LIMIT)).contains(ImportFailure.UNSPECIFIED);
	}

	@Test
	void notAVhd() throws IOException {
		assertThat(VhdValidator.check(bytes(new byte[511]), LIMIT)).contains(ImportFailure.NOT_A_VHD);
		assertThat(VhdValidator.check(bytes(new byte[4096]), LIMIT)).contains(ImportFailure.NOT_A_VHD);
		assertThat(check(SyntheticVhd.fixed(1 << 20, 1).withDefect(Defect.NOT_A_VHD)))
			.contains(ImportFailure.NOT_A_VHD);
		assertThat(check(SyntheticVhd.dynamic(1 << 20, 1).withDefect(Defect.NOT_A_VHD)))
			.contains(ImportFailure.NOT_A_VHD);
	}

	@Test
	void badFooterChecksum() throws IOException {
		assertThat(check(SyntheticVhd.fixed(1 << 20, 1).withDefect(Defect.BAD_CHECKSUM)))
			.contains(ImportFailure.UNSPECIFIED);
		assertThat(check(SyntheticVhd.dynamic(1 << 20, 1).withDefect(Defect.BAD_CHECKSUM)))
			.contains(ImportFailure.UNSPECIFIED);
	}

	@Test
	void differencingDiskHasAParent() throws IOException {
		assertThat(check(SyntheticVhd.dynamic(1 << 20, 1).withDefect(Defect.DIFFERENCING)))
			.contains(ImportFailure.HAS_PARENT);
	}

	@Test
	void differencingDiskMadeFromAQemuDynamicDisk() throws IOException {
		byte[] vhd = Files.readAllBytes(qemuVhd("dynamic"));
		patchFooters(vhd, (footer) -> footer.withDiskType(VhdFooter.DIFFERENCING));
		patchHeader(vhd, (header) -> header.withParent(UUID.randomUUID(), 757_382_400L, "base.vhd"));

		assertThat(VhdValidator.check(bytes(vhd), LIMIT)).contains(ImportFailure.HAS_PARENT);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 5, 6, 7, -1 })
	void onlyFixedOrDynamicDisks(int diskType) throws IOException {
		byte[] vhd = Files.readAllBytes(qemuVhd("dynamic"));
		patchFooters(vhd, (footer) -> footer.withDiskType(diskType));

		assertThat(VhdValidator.check(bytes(vhd), LIMIT)).contains(ImportFailure.UNSUPPORTED_DISK_TYPE);
	}

	@Test
	void unsupportedTypeDefect() throws IOException {
		assertThat(check(SyntheticVhd.fixed(1 << 20, 1).withDefect(Defect.UNSUPPORTED_TYPE)))
			.contains(ImportFailure.UNSUPPORTED_DISK_TYPE);
	}

	@Test
	void zeroUniqueId() throws IOException {
		assertThat(check(SyntheticVhd.fixed(1 << 20, 1).withDefect(Defect.ZERO_UUID)))
			.contains(ImportFailure.ZERO_UNIQUE_ID);
		assertThat(check(SyntheticVhd.dynamic(1 << 20, 1).withDefect(Defect.ZERO_UUID)))
			.contains(ImportFailure.ZERO_UNIQUE_ID);
	}

	@Test
	void virtualSizeOverTheLimitIsReportedBeforePhysicalSize() throws IOException {
		assertThat(check(SyntheticVhd.fixed(161 * GIB, 1))).contains(ImportFailure.VIRTUAL_SIZE_OVER_LIMIT);
		assertThat(check(SyntheticVhd.dynamic(161 * GIB, 1))).contains(ImportFailure.VIRTUAL_SIZE_OVER_LIMIT);
		assertThat(VhdValidator.check(ContentRangeReader.of(SyntheticVhd.dynamic(64L << 20, 1)), (64L << 20) - 512))
			.contains(ImportFailure.VIRTUAL_SIZE_OVER_LIMIT);
	}

	@Test
	void physicalSizeOverTheLimit() throws IOException {
		SyntheticVhd full = SyntheticVhd.dynamic(160 * GIB, 1, 1);
		assertThat(full.length()).isGreaterThan(LIMIT);
		assertThat(check(full)).contains(ImportFailure.PHYSICAL_SIZE_OVER_LIMIT);
		assertThat(check(SyntheticVhd.fixed(160 * GIB, 1))).contains(ImportFailure.PHYSICAL_SIZE_OVER_LIMIT);
	}

	@Test
	void fixedDiskWhoseFileIsNotItsSizePlusAFooter() throws IOException {
		byte[] footer = SyntheticVhd.fixed(4096, 1).footer().encode();
		byte[] shortFile = new byte[2048 + 512];
		System.arraycopy(footer, 0, shortFile, 2048, 512);
		byte[] longFile = new byte[8192 + 512];
		System.arraycopy(footer, 0, longFile, 8192, 512);

		assertThat(VhdValidator.check(bytes(shortFile), LIMIT)).contains(ImportFailure.UNSPECIFIED);
		assertThat(VhdValidator.check(bytes(longFile), LIMIT)).contains(ImportFailure.UNSPECIFIED);
	}

	@Test
	void dynamicDiskWhoseFooterCopyDiffers() throws IOException {
		byte[] vhd = Files.readAllBytes(qemuVhd("dynamic"));
		VhdFooter copy = VhdFooter.parse(Arrays.copyOfRange(vhd, 0, 512));
		System.arraycopy(copy.withUniqueId(UUID.randomUUID()).encode(), 0, vhd, 0, 512);

		assertThat(VhdValidator.check(bytes(vhd), LIMIT)).contains(ImportFailure.UNSPECIFIED);
	}

	@Test
	void dynamicDiskWithABadHeader() throws IOException {
		assertThat(checkPatchedHeader((header) -> new DynamicHeader("cxsparsf", header.dataOffset(),
				header.tableOffset(), header.headerVersion(), header.maxTableEntries(), header.blockSize(), 0,
				header.parentUniqueId(), header.parentTimestamp(), header.parentUnicodeName())
			.withParent(header.parentUniqueId(), 0, ""))).contains(ImportFailure.UNSPECIFIED);
		assertThat(checkPatchedHeader((header) -> header.withChecksum(header.checksum() - 1)))
			.contains(ImportFailure.UNSPECIFIED);
		assertThat(checkPatchedHeader((header) -> withTable(header, 1L << 40, header.maxTableEntries())))
			.contains(ImportFailure.UNSPECIFIED);
		assertThat(checkPatchedHeader((header) -> withTable(header, header.tableOffset(), 1 << 20)))
			.contains(ImportFailure.UNSPECIFIED);
		assertThat(checkPatchedHeader((header) -> withTable(header, header.tableOffset(), 1)))
			.as("a BAT too small for the disk")
			.contains(ImportFailure.UNSPECIFIED);
		assertThat(checkPatchedHeader((header) -> withTable(header, header.tableOffset(), header.maxTableEntries())))
			.as("the unchanged header, re-encoded")
			.isEmpty();
	}

	@Test
	void dynamicDiskWhoseDataOffsetPointsOutsideTheFile() throws IOException {
		byte[] vhd = Files.readAllBytes(qemuVhd("dynamic"));
		patchFooters(vhd, (footer) -> withDataOffset(footer, vhd.length));

		assertThat(VhdValidator.check(bytes(vhd), LIMIT)).contains(ImportFailure.UNSPECIFIED);
	}

	@Test
	void describesTheDiskForOperators() throws IOException {
		assertThat(VhdValidator.describe(ContentRangeReader.of(SyntheticVhd.dynamic(64L << 20, 1))))
			.isEqualTo("dynamic VHD, virtual size 64.0 MiB (67108864 bytes)");
		assertThat(VhdValidator.describe(bytes(new byte[1000]))).isEqualTo("not a VHD (no footer)");
	}

	private Optional<ImportFailure> checkPatchedHeader(UnaryOperator<DynamicHeader> change) throws IOException {
		byte[] vhd = Files.readAllBytes(qemuVhd("dynamic"));
		patchHeader(vhd, change);
		return VhdValidator.check(bytes(vhd), LIMIT);
	}

	private static Optional<ImportFailure> check(SyntheticVhd vhd) throws IOException {
		return VhdValidator.check(ContentRangeReader.of(vhd), LIMIT);
	}

	private Path qemuVhd(String subformat) {
		Path qemuImg = ExternalTools.require("qemu-img");
		Path file = this.dir.resolve(subformat + ".vhd");
		if (!Files.exists(file)) {
			ExternalTools.runOk(qemuImg, "create", "-q", "-f", "vpc", "-o", "subformat=" + subformat, file.toString(),
					"64M");
		}
		return file;
	}

	private static RangeReader file(Path path) {
		return ContentRangeReader.of(FileContent.of(path));
	}

	/**
	 * Rewrites both footers of a dynamic disk, as a tool editing it consistently would.
	 */
	private static void patchFooters(byte[] vhd, UnaryOperator<VhdFooter> change) {
		byte[] footer = change.apply(VhdFooter.parse(Arrays.copyOfRange(vhd, vhd.length - 512, vhd.length)))
			.encodeAsIs();
		System.arraycopy(footer, 0, vhd, 0, 512);
		System.arraycopy(footer, 0, vhd, vhd.length - 512, 512);
	}

	private static void patchHeader(byte[] vhd, UnaryOperator<DynamicHeader> change) {
		byte[] header = change.apply(DynamicHeader.parse(Arrays.copyOfRange(vhd, 512, 1536))).encodeAsIs();
		System.arraycopy(header, 0, vhd, 512, 1024);
	}

	private static DynamicHeader withTable(DynamicHeader h, long tableOffset, int maxTableEntries) {
		return new DynamicHeader(h.cookie(), h.dataOffset(), tableOffset, h.headerVersion(), maxTableEntries,
				h.blockSize(), 0, h.parentUniqueId(), h.parentTimestamp(), h.parentUnicodeName())
			.withParent(h.parentUniqueId(), h.parentTimestamp(), h.parentUnicodeName());
	}

	private static VhdFooter withDataOffset(VhdFooter f, long dataOffset) {
		VhdFooter moved = new VhdFooter(f.cookie(), f.features(), f.formatVersion(), dataOffset, f.timestamp(),
				f.creatorApplication(), f.creatorVersion(), f.creatorHostOs(), f.originalSize(), f.currentSize(),
				f.geometry(), f.diskType(), 0, f.uniqueId(), f.savedState());
		return moved.withChecksum(moved.computeChecksum());
	}

	private static RangeReader bytes(byte[] content) {
		return new RangeReader() {

			@Override
			public long length() {
				return content.length;
			}

			@Override
			public byte[] read(long offset, int length) {
				return Arrays.copyOfRange(content, (int) offset, (int) offset + length);
			}

		};
	}

	private static final class CountingReader implements RangeReader {

		private final RangeReader delegate;

		private long bytesRead;

		CountingReader(RangeReader delegate) {
			this.delegate = delegate;
		}

		@Override
		public long length() throws IOException {
			return this.delegate.length();
		}

		@Override
		public byte[] read(long offset, int length) throws IOException {
			this.bytesRead += length;
			return this.delegate.read(offset, length);
		}

	}

}

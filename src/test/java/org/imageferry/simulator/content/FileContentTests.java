package org.imageferry.simulator.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FileContentTests {

	@TempDir
	Path dir;

	@Test
	void readsTheRequestedRangeAndNoMore() throws IOException {
		byte[] bytes = new byte[10_000];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i * 31 + 7);
		}
		Path file = Files.write(this.dir.resolve("object"), bytes);
		FileContent content = FileContent.of(file);

		assertThat(content.length()).isEqualTo(10_000);
		try (InputStream in = content.open(1234, 4000)) {
			assertThat(in.read()).isEqualTo(bytes[1234] & 0xFF);
			assertThat(in.skip(99)).isEqualTo(99);
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1334, 5234));
			assertThat(in.read()).isEqualTo(-1);
		}
		try (InputStream in = content.slice(9000, 1000).open(10, 20)) {
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 9010, 9030));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> content.open(9999, 2));
	}

}

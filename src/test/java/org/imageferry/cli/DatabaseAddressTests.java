package org.imageferry.cli;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseAddressTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					jdbc:postgresql://db.internal:5432/image_ferry                                     | postgresql://db.internal:5432/image_ferry
					jdbc:postgresql://db.internal/image_ferry?user=ferry&password=s3cret&sslmode=require | postgresql://db.internal/image_ferry
					jdbc:postgresql://ferry:s3cret@db.internal:5432/image_ferry                        | postgresql://db.internal:5432/image_ferry
					jdbc:postgresql://h1:5432,h2:5433/image_ferry?targetServerType=primary             | postgresql://h1:5432,h2:5433/image_ferry
					jdbc:h2:file:/var/lib/ferry/data/image-ferry;AUTO_SERVER=TRUE;PASSWORD=s3cret         | h2:file:/var/lib/ferry/data/image-ferry
					""")
	void theAddressCarriesNoCredentials(String url, String address) {
		// when
		String shown = DatabaseAddress.of(url);

		// then
		assertThat(shown).isEqualTo(address).doesNotContain("s3cret");
	}

	@Test
	void aConnectionFailureIsTheDatabaseBeingUnreachable() {
		// given: as the PostgreSQL driver reports a refused connection, wrapped by the
		// pool
		SQLException refused = new SQLException("Connection to 127.0.0.1:5999 refused.", "08001",
				new ConnectException("Connection refused"));
		RuntimeException start = new IllegalStateException("Failed to initialize pool", refused);

		// when
		String message = DatabaseAddress.unreachable(start, "jdbc:postgresql://127.0.0.1:5999/ferry?password=s3cret")
			.orElseThrow();

		// then
		assertThat(message)
			.isEqualTo("cannot reach the database at postgresql://127.0.0.1:5999/ferry: Connection refused");
	}

	@Test
	void aWrongPasswordOrAMissingDatabaseIsNot() {
		// given
		SQLException password = new SQLException("password authentication failed for user \"ferry\"", "28P01");
		SQLException database = new SQLException("database \"nope\" does not exist", "3D000");

		// when, then
		assertThat(DatabaseAddress.unreachable(new IllegalStateException(password), "jdbc:postgresql://db/ferry"))
			.isEmpty();
		assertThat(DatabaseAddress.unreachable(new IllegalStateException(database), "jdbc:postgresql://db/nope"))
			.isEmpty();
	}

}

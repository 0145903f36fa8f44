package org.imageferry.cloud;

import org.springframework.util.Assert;

/**
 * A Rackspace username and API key. The key never leaves this object except in the
 * identity request body: {@link #toString()} masks it, so it cannot reach a log line by
 * accident.
 */
public record Credentials(String username, String apiKey) {

	public Credentials {
		Assert.hasText(username, "username must not be empty");
		Assert.hasText(apiKey, "API key must not be empty");
	}

	@Override
	public String toString() {
		return "Credentials[username=" + this.username + ", apiKey=****]";
	}

}

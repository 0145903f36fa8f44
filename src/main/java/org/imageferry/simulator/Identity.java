package org.imageferry.simulator;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rackspace Identity v2.0: {@code POST /v2.0/tokens} with
 * {@code RAX-KSKEY:apiKeyCredentials} or {@code passwordCredentials}, and the token check
 * every other service makes. One token serves every region of its account; an expired or
 * unknown token is a 401 everywhere.
 * <p>
 * The catalog's URLs name the address the token request came to, so a client that reaches
 * the simulator at 127.0.0.2 sends all its traffic there: that is what puts it on the
 * simulated host 127.0.0.2 ({@link HostLinks}). With one host, the default, they name
 * 127.0.0.1 as always.
 */
final class Identity {

	/** What a valid token stands for. */
	record Token(String id, Account account, Instant expires) {
	}

	private final SimulatorConfig config;

	/** The first host's base URL, which {@link SimulatedCloud}'s URLs name. */
	private final String baseUrl;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	Identity(SimulatorConfig config, String baseUrl) {
		this.config = config;
		this.baseUrl = baseUrl;
	}

	void handle(Exchange ex) throws IOException {
		List<String> path = ex.segments();
		if (path.size() != 2 || !path.get(1).equals("tokens")) {
			throw new ApiError(404, "Resource not found");
		}
		if (!ex.method().equals("POST")) {
			throw new ApiError(405, "Method not allowed");
		}
		JsonNode auth = ex.readJson().path("auth");
		Account account = authenticate(auth);
		if (account == null) {
			ObjectNode body = Exchange.JSON.createObjectNode();
			body.putObject("unauthorized")
				.put("code", 401)
				.put("message", "Unable to authenticate user with credentials provided.");
			ex.sendJson(401, body);
			return;
		}
		Token token = new Token(UUID.randomUUID().toString().replace("-", ""), account,
				this.config.clock().instant().plus(this.config.tokenTtl()));
		this.tokens.put(token.id(), token);
		ex.sendJson(200, access(token, auth.has("passwordCredentials") ? "PASSWORD" : "APIKEY", ex.arrivedAt()));
	}

	private Account authenticate(JsonNode auth) {
		JsonNode apiKey = auth.path("RAX-KSKEY:apiKeyCredentials");
		JsonNode password = auth.path("passwordCredentials");
		if (apiKey.isObject()) {
			return find(apiKey.path("username").asText(), (a) -> a.apiKey().equals(apiKey.path("apiKey").asText()));
		}
		if (password.isObject()) {
			Account account = find(password.path("username").asText(),
					(a) -> a.password().equals(password.path("password").asText()));
			String tenant = auth.hasNonNull("tenantId") ? auth.get("tenantId").asText()
					: auth.hasNonNull("tenantName") ? auth.get("tenantName").asText() : null;
			return (account != null && (tenant == null || tenant.equals(account.tenantId()))) ? account : null;
		}
		throw ApiError.fault(400, "badRequest",
				"Expecting auth with RAX-KSKEY:apiKeyCredentials or passwordCredentials");
	}

	private Account find(String username, java.util.function.Predicate<Account> secretMatches) {
		return this.config.accounts()
			.stream()
			.filter((a) -> a.username().equals(username) && secretMatches.test(a))
			.findFirst()
			.orElse(null);
	}

	private ObjectNode access(Token token, String method, String base) {
		Account account = token.account();
		ObjectNode body = Exchange.JSON.createObjectNode();
		ObjectNode access = body.putObject("access");
		ObjectNode t = access.putObject("token");
		t.put("id", token.id());
		t.put("expires", token.expires().truncatedTo(ChronoUnit.MILLIS).toString());
		t.putObject("tenant").put("id", account.tenantId()).put("name", account.tenantId());
		t.putArray("RAX-AUTH:authenticatedBy").add(method);
		ArrayNode catalog = access.putArray("serviceCatalog");
		ObjectNode images = catalog.addObject().put("name", "cloudImages").put("type", "image");
		ObjectNode files = catalog.addObject().put("name", "cloudFiles").put("type", "object-store");
		ArrayNode imageEndpoints = images.putArray("endpoints");
		ArrayNode fileEndpoints = files.putArray("endpoints");
		for (String region : this.config.regions()) {
			imageEndpoints.addObject()
				.put("region", region)
				.put("tenantId", account.tenantId())
				.put("publicURL", imagesUrl(base, region));
			fileEndpoints.addObject()
				.put("region", region)
				.put("tenantId", account.storageAccount())
				.put("publicURL", filesUrl(base, region, account, false))
				.put("internalURL", filesUrl(base, region, account, true));
		}
		ObjectNode user = access.putObject("user");
		user.put("id", "user-" + account.tenantId());
		user.put("name", account.username());
		user.put("RAX-AUTH:defaultRegion", this.config.regions().get(0));
		user.putArray("roles")
			.addObject()
			.put("id", "3")
			.put("name", "identity:user-admin")
			.put("description", "User Admin Role.");
		return body;
	}

	String imagesUrl(String region) {
		return imagesUrl(this.baseUrl, region);
	}

	String filesUrl(String region, Account account, boolean serviceNet) {
		return filesUrl(this.baseUrl, region, account, serviceNet);
	}

	private static String imagesUrl(String base, String region) {
		return base + "/images/" + region + "/v2";
	}

	private static String filesUrl(String base, String region, Account account, boolean serviceNet) {
		return base + (serviceNet ? "/snet/" : "/files/") + region + "/v1/" + account.storageAccount();
	}

	/**
	 * @return the caller's token, or a 401 when it is missing, unknown or expired
	 */
	Token require(Exchange ex) {
		String id = ex.header("X-Auth-Token");
		Token token = (id != null) ? this.tokens.get(id) : null;
		if (token == null || this.config.clock().instant().isAfter(token.expires())) {
			throw new ApiError(401,
					"This server could not verify that you are authorized to access the document " + "you requested.");
		}
		return token;
	}

	/** Every token issued so far, expired ones included, for tests. */
	List<String> issuedTokens() {
		return List.copyOf(this.tokens.keySet());
	}

	Optional<Account> account(String tenantId) {
		return this.config.accounts().stream().filter((a) -> a.tenantId().equals(tenantId)).findFirst();
	}

}

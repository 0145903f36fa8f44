package org.imageferry.simulator;

/**
 * A customer account of the simulated cloud: a user with an API key (and a password, for
 * clients that only speak {@code passwordCredentials}) owning one tenant. Cloud Files
 * names the tenant's storage account {@code MossoCloudFS_<tenantId>}, as Rackspace does.
 */
public record Account(String username, String apiKey, String password, String tenantId) {

	public String storageAccount() {
		return "MossoCloudFS_" + this.tenantId;
	}

}

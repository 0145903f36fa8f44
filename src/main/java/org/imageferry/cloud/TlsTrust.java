package org.imageferry.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom TLS connections trust: the JDK's default trust store, or — when the job profile
 * names a CA bundle ({@code image-ferry.ca-bundle}, a PEM file of CA certificates) —
 * those CAs instead. Certificates and host names are always verified: there is no way to
 * turn verification off.
 */
public final class TlsTrust {

	private final Path bundle;

	private final SSLContext context;

	private TlsTrust(Path bundle, SSLContext context) {
		this.bundle = bundle;
		this.context = context;
	}

	/**
	 * @param bundle a PEM file of CA certificates, or null for the JDK's defaults
	 * @throws IllegalStateException when the bundle cannot be read or holds no
	 * certificate
	 */
	public static TlsTrust of(Path bundle) {
		if (bundle == null) {
			try {
				return new TlsTrust(null, SSLContext.getDefault());
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("the JDK's default TLS set-up is unusable: " + ex.getMessage(), ex);
			}
		}
		try (InputStream in = Files.newInputStream(bundle)) {
			Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in);
			if (certificates.isEmpty()) {
				throw new IllegalStateException("CA bundle " + bundle + " holds no PEM certificate");
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			int i = 0;
			for (Certificate certificate : certificates) {
				store.setCertificateEntry("ca-" + i++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return new TlsTrust(bundle, context);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("CA bundle " + bundle + " cannot be read: " + ex.getMessage(), ex);
		}
	}

	/** The context the JDK HttpClient uses. */
	public SSLContext sslContext() {
		return this.context;
	}

	/** Whether a CA bundle replaces the JDK's default trust store. */
	public boolean custom() {
		return this.bundle != null;
	}

}

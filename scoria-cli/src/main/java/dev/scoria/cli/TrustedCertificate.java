package dev.scoria.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSL context that trusts the certificates of one PEM file (e.g. a server's self-signed certificate). */
final class TrustedCertificate {

    private TrustedCertificate() {}

    static SSLContext sslContext(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("trusted-" + i++, cert);
            }
            if (i == 0) {
                throw new CliErrors.CliFailure("--cacert " + pem + " holds no certificate", 2);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (CliErrors.CliFailure e) {
            throw e;
        } catch (Exception e) {
            throw new CliErrors.CliFailure("--cacert " + pem + " could not be read: " + e.getMessage(), 2);
        }
    }
}

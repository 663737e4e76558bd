package dev.scoria.server;

import dev.scoria.core.auth.AdminToken;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** HTTPS for the server: TLS 1.2 and 1.3 only, from PEM files or a self-signed certificate made once. */
final class TlsFiles {

    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private TlsFiles() {}

    static void configure(HttpServerOptions options, ServerConfig.Tls tls, Path dataDir, String host) throws Exception {
        Path cert;
        Path key;
        if (tls.selfSigned()) {
            cert = dataDir.resolve("tls").resolve("self-signed-cert.pem");
            key = dataDir.resolve("tls").resolve("self-signed-key.pem");
            if (!Files.exists(cert) || !Files.exists(key)) {
                writeSelfSigned(cert, key, host);
            }
        } else {
            cert = tls.certPath();
            key = tls.keyPath();
            for (Path p : List.of(cert, key)) {
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("TLS file " + p + " does not exist or cannot be read");
                }
            }
            requireMatchingPair(cert, key);
        }
        options.setSsl(true)
                .setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
    }

    /**
     * Refuses, before the server starts, a certificate and key that do not belong together: TLS would refuse every
     * handshake later, with nothing in the server's log. The key signs a challenge that the certificate's public key
     * must verify.
     */
    static void requireMatchingPair(Path certFile, Path keyFile) throws Exception {
        X509Certificate cert = firstCertificate(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " is an " + key.getAlgorithm() + " key, but the"
                    + " certificate in --tls-cert " + certFile + " is for an "
                    + cert.getPublicKey().getAlgorithm()
                    + " key: give the key the certificate was made for");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            // A key of another kind is left to the TLS stack: a check that cannot be made must not refuse it.
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " does not match the certificate in --tls-cert "
                    + certFile + ": give the key the certificate was made for");
        }
    }

    private static X509Certificate firstCertificate(Path file) throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    return new JcaX509CertificateConverter().getCertificate(holder);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-cert " + file + " could not be read as PEM: " + e.getMessage());
        }
        throw new IllegalArgumentException(
                "--tls-cert " + file + " holds no certificate: expected a PEM file with -----BEGIN CERTIFICATE-----");
    }

    private static PrivateKey privateKey(Path file) throws Exception {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-key " + file + " could not be read as PEM: " + e.getMessage());
        }
        throw new IllegalArgumentException("--tls-key " + file + " holds no unencrypted private key: expected a PEM"
                + " file with -----BEGIN PRIVATE KEY----- (or RSA or EC PRIVATE KEY)");
    }

    /** Where a self-signed certificate for this data directory is (or will be) kept, for clients to trust. */
    static Path selfSignedCertificate(Path dataDir) {
        return dataDir.resolve("tls").resolve("self-signed-cert.pem");
    }

    private static void writeSelfSigned(Path certFile, Path keyFile, String host) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        }
        List<GeneralName> san = new ArrayList<>();
        for (String name : names) {
            san.add(
                    isIp(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
        }
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Scoria self-signed (" + host + ")");
        var builder = new JcaX509v3CertificateBuilder(
                        subject,
                        new BigInteger(64, new SecureRandom()),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(Duration.ofDays(365))),
                        subject,
                        pair.getPublic())
                .addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(GeneralName[]::new)))
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        Files.createDirectories(certFile.getParent());
        Files.writeString(certFile, pem(cert));
        Files.deleteIfExists(keyFile);
        AdminToken.writePrivate(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
    }

    private static boolean isIp(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}

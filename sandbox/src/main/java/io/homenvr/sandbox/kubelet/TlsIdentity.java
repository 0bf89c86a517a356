package io.homenvr.sandbox.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The node's serving certificate (made once per run with the JDK's keytool, for the node's
 * addresses) and the client CA it trusts: kube-apiserver presents a certificate signed by it when
 * it asks the kubelet for logs and when the aggregator proxies metrics.k8s.io, as on k3s.
 */
public final class TlsIdentity {
  /**
   * @param context serves TLS with the node's certificate, trusting the client CA
   * @param certificatePem the node's (self-signed) certificate, for a caBundle
   */
  public record Identity(SSLContext context, String certificatePem) {}

  private TlsIdentity() {}

  /**
   * @param dir where the keystore is written
   * @param addresses the node's IP addresses (subject alternative names)
   * @param clientCa the CA whose client certificates are accepted (PEM)
   */
  public static Identity create(Path dir, List<InetAddress> addresses, Path clientCa)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("kubelet.p12");
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    char[] password = HexFormat.of().formatHex(secret).toCharArray();
    Files.deleteIfExists(keystore);
    StringBuilder san = new StringBuilder("dns:localhost");
    addresses.forEach(a -> san.append(",ip:").append(a.getHostAddress()));
    io.homenvr.testing.ChildProcess.run(
        java.time.Duration.ofSeconds(30),
        null,
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-alias",
            "kubelet",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=sandbox",
            "-ext",
            "SAN=" + san,
            "-validity",
            "30",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass:env",
            "KEYSTORE_PASSWORD",
            "-keypass:env",
            "KEYSTORE_PASSWORD"),
        java.util.Map.of("KEYSTORE_PASSWORD", new String(password)));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, password);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(clientCa)) {
      trusted.setCertificateEntry(
          "client-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getCertificate("kubelet").getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return new Identity(context, pem);
  }
}

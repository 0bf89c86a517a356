package io.homenvr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed serving certificate for stand-in kubelets (the API server reaches kubelets over
 * HTTPS; with no kubelet CA configured it does not verify them), made once per JVM by the JDK's
 * keytool.
 */
final class ServingCertificate {
  private static final char[] PASSWORD = "standin".toCharArray();
  private static SSLContext context;

  private ServingCertificate() {}

  static synchronized SSLContext sslContext() {
    if (context == null) {
      try {
        Path dir = Files.createTempDirectory("standin-kubelet-");
        Path keystore = dir.resolve("kubelet.p12");
        ChildProcess.run(
            java.time.Duration.ofSeconds(30),
            dir,
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "kubelet",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=standin-kubelet",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                new String(PASSWORD)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
          store.load(in, PASSWORD);
        }
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        context = tls;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return context;
  }
}

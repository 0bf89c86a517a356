package io.homenvr.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto on a free loopback port with a generated config: anonymous, or with a password
 * file (one user) to test refused credentials. No persistence, so a restart forgets every retained
 * message: whatever a subscriber sees retained after it was re-published.
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final Path config;
  private final int port;
  private Process process;

  private MosquittoBroker(Path dir, String user, String password) throws IOException {
    this.dir = dir;
    this.port = freePort();
    StringBuilder conf = new StringBuilder();
    conf.append("listener ").append(port).append(" 127.0.0.1\n");
    conf.append("persistence false\n");
    conf.append("log_dest stderr\n");
    // as root Mosquitto would switch to the 'mosquitto' user, which cannot read these files
    conf.append("user ").append(System.getProperty("user.name")).append('\n');
    if (user == null) {
      conf.append("allow_anonymous true\n");
    } else {
      Path passwords = dir.resolve("passwords");
      run("/usr/bin/mosquitto_passwd", "-b", "-c", passwords.toString(), user, password);
      conf.append("allow_anonymous false\n");
      conf.append("password_file ").append(passwords).append('\n');
    }
    config = dir.resolve("mosquitto.conf");
    Files.writeString(config, conf);
  }

  /** An anonymous broker, started. */
  public static MosquittoBroker anonymous(Path dir) throws IOException {
    MosquittoBroker broker = new MosquittoBroker(dir, null, null);
    broker.start();
    return broker;
  }

  /** A broker that accepts only this user, started. */
  public static MosquittoBroker withPassword(Path dir, String user, String password)
      throws IOException {
    MosquittoBroker broker = new MosquittoBroker(dir, user, password);
    broker.start();
    return broker;
  }

  /** An anonymous broker's address, not started yet: a broker that is down. */
  public static MosquittoBroker notStarted(Path dir) throws IOException {
    return new MosquittoBroker(dir, null, null);
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public synchronized void start() throws IOException {
    process =
        new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
              }
              return accepts();
            });
  }

  /** Stops it (SIGTERM) and waits until it is gone: its retained messages go with it. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  public void restart() throws IOException, InterruptedException {
    stop();
    start();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void run(String... command) throws IOException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}

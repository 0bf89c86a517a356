package io.homenvr.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's {@code helm test} command, run as the test pod runs it ({@code java -cp …
 * io.homenvr.operator.ReadyzCheck <url>}, a child JVM whose exit code is the test's result) against
 * a local /readyz that answers ready or not.
 */
class ReadyzCheckTest {
  private HttpServer server;
  private volatile int status = 200;

  @BeforeEach
  void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          byte[] body = (status == 200 ? "ok" : "not ready").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/readyz";
  }

  private record Run(int exitCode, String output) {}

  private static Run readyzCheck(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReadyzCheck.class.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void aReadyOperatorPassesTheHelmTest() throws Exception {
    Run run = readyzCheck(url());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("/readyz: 200 ok");
  }

  @Test
  void anOperatorThatIsNotReadyFailsIt() throws Exception {
    status = 503;

    Run run = readyzCheck(url());

    assertThat(run.exitCode()).as(run.output()).isNotZero();
    assertThat(run.output()).contains("503 not ready");
  }

  @Test
  void anOperatorThatDoesNotAnswerFailsItAndAMissingUrlIsAUsageError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run unreachable = readyzCheck("http://127.0.0.1:" + closedPort + "/readyz");
    assertThat(unreachable.exitCode()).as(unreachable.output()).isNotZero();
    assertThat(unreachable.output()).contains("ConnectException");

    Run usage = readyzCheck();
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.output()).contains("usage: ReadyzCheck");
  }
}

package io.homenvr.pipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The loopback RTSP camera of the project's one RTSP server module ({@code
 * testing/src/main/python/rtsp_server.py}, its test mounts), run with Debian's python3 (the one
 * python3-gi is installed for). It exits by itself when the test JVM goes away, because its stdin
 * closes. (It starts the process itself rather than through the testing module's ChildProcess: this
 * module's image builds with no other homenvr module than its parent.)
 */
public final class RtspTestServer implements AutoCloseable {
  private static final Path SCRIPT =
      Path.of("../testing/src/main/python/rtsp_server.py").toAbsolutePath().normalize();

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final int port;
  private final List<String> mounts;

  private RtspTestServer(int requestedPort) throws IOException, InterruptedException {
    process =
        new ProcessBuilder(
                "/usr/bin/python3", SCRIPT.toString(), "--port", Integer.toString(requestedPort))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
              }
            },
            "rtsp-server-stdout");
    pump.setDaemon(true);
    pump.start();
    String ready = lines.poll(30, TimeUnit.SECONDS);
    if (ready == null || !ready.startsWith("READY ")) {
      process.destroyForcibly();
      throw new IllegalStateException("RTSP test server did not start: " + ready);
    }
    String[] words = ready.split(" ");
    port = Integer.parseInt(words[1]);
    mounts = List.of(words).subList(2, words.length);
  }

  public static RtspTestServer start() throws IOException, InterruptedException {
    return new RtspTestServer(0);
  }

  /** A new server on the same port, e.g. after {@link #kill()} to end a refusal. */
  public RtspTestServer restart() throws IOException, InterruptedException {
    kill();
    return new RtspTestServer(port);
  }

  public String url(String mount) {
    return "rtsp://127.0.0.1:" + port + mount;
  }

  public int port() {
    return port;
  }

  public boolean has(String mount) {
    return mounts.contains(mount);
  }

  /** Stops video on a mount; the RTSP session, TCP connection and RTCP stay alive. */
  public void freeze(String mount) throws IOException, InterruptedException {
    command("freeze " + mount);
  }

  public void thaw(String mount) throws IOException, InterruptedException {
    command("thaw " + mount);
  }

  public void resize() throws IOException, InterruptedException {
    command("resize");
  }

  /** {@code /scene}: the moving ball (true) or a still black frame (false). */
  public void sceneMoving(boolean moving) throws IOException, InterruptedException {
    command("scene " + (moving ? "moving" : "still"));
  }

  /** Total silence: the process stops, its sockets stay open. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Refusal: the process dies and nothing listens on the port. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() throws InterruptedException, IOException {
    if (process.isAlive()) {
      resume();
      kill();
    }
  }

  private void command(String command) throws IOException, InterruptedException {
    commands.write(command + "\n");
    commands.flush();
    String answer = lines.poll(10, TimeUnit.SECONDS);
    assertThat(answer).isEqualTo("OK " + command);
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}

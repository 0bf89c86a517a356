package io.homenvr.sandbox.fakes;

import io.homenvr.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A simulated RTSP camera (GStreamer's RTSP server through Debian's python3-gi): either the
 * pipeline's own test server streaming a moving ball on {@code /ball}, or the sandbox's people
 * camera replaying people walking on {@code /people}. Faults: freeze the video (RTSP and RTCP stay
 * up), silence everything (SIGSTOP), or kill it and bring it back on the same port.
 */
public final class RtspCamera implements AutoCloseable {
  /** Debian's python3, the one python3-gi is installed for. */
  private static final String PYTHON = "/usr/bin/python3";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final List<String> arguments;
  private final String mount;
  private final int port;
  private final Consumer<String> printer;
  private ChildProcess process;
  private boolean frozen;

  private RtspCamera(List<String> arguments, String mount, int port, Consumer<String> printer) {
    this.arguments = arguments;
    this.mount = mount;
    this.port = port;
    this.printer = printer;
  }

  /** A moving ball on a free port: the RTSP server module's test mounts. */
  public static RtspCamera ball(Path script, Consumer<String> printer) throws IOException {
    int port = Ports.free();
    return launched(
        List.of(script.toString(), "--port", Integer.toString(port)), "/ball", port, printer);
  }

  /**
   * People walking on a free port: the RTSP server module replays {@code cache}, a live source,
   * after encoding {@code video} into it on its first start.
   */
  public static RtspCamera people(Path script, Path video, Path cache, Consumer<String> printer)
      throws IOException {
    int port = Ports.free();
    return launched(
        List.of(
            script.toString(),
            "--port",
            Integer.toString(port),
            "--live",
            "--encode-from",
            video.toString(),
            "/people=" + cache),
        "/people",
        port,
        printer);
  }

  private static RtspCamera launched(
      List<String> arguments, String mount, int port, Consumer<String> printer) throws IOException {
    RtspCamera camera = new RtspCamera(arguments, mount, port, printer);
    camera.launch();
    return camera;
  }

  /** The URL of the camera's stream. */
  public String url() {
    return "rtsp://127.0.0.1:" + port + mount;
  }

  private synchronized void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, "-u"));
    command.addAll(arguments);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    process =
        ChildProcess.start(
            command,
            Map.of(),
            null,
            "rtsp-camera-" + port,
            line -> {
              if (line.startsWith("READY")) {
                ready.complete(null);
              } else if (!line.startsWith("OK ")) {
                printer.accept("camera :" + port + ": " + line);
              }
            });
    try {
      // ready, or the process ended before it said so
      CompletableFuture.anyOf(ready, process.exited())
          .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!ready.isDone()) {
        throw new ExecutionException(new IOException("the RTSP server exited before it was ready"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the RTSP server started", e);
    } catch (ExecutionException | TimeoutException e) {
      process.kill();
      throw new IOException(
          "the RTSP server ("
              + PYTHON
              + " "
              + String.join(" ", arguments)
              + ") did not start: are python3-gi and gir1.2-gst-rtsp-server-1.0 installed?",
          e);
    }
    frozen = false;
  }

  /** Stops the video; the RTSP session and RTCP stay alive, as a hung camera's do. */
  public synchronized void freeze() throws IOException {
    command("freeze " + mount);
    frozen = true;
  }

  public synchronized void thaw() throws IOException {
    command("thaw " + mount);
    frozen = false;
  }

  /** The camera process is gone: connections are refused until {@link #revive()}. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /** Starts the camera again on the same port (after a kill). */
  public synchronized void revive() throws IOException {
    if (process == null || !process.alive()) {
      launch();
    } else if (frozen) {
      thaw();
    }
  }

  public synchronized String state() {
    if (process == null || !process.alive()) {
      return "down";
    }
    return frozen ? "frozen" : "streaming";
  }

  private void command(String line) throws IOException {
    if (process == null || !process.alive()) {
      throw new IOException("the camera is down");
    }
    process.writeLine(line);
  }

  @Override
  public synchronized void close() {
    kill();
  }
}

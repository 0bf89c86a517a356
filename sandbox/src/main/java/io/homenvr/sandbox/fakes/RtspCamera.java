package io.homenvr.sandbox.fakes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A simulated RTSP camera: the pipeline's own test server (GStreamer's RTSP server through Debian's
 * python3-gi) streaming a moving ball on {@code /ball}. Faults: freeze the video (RTSP and RTCP
 * stay up), silence everything (SIGSTOP), or kill it and bring it back on the same port.
 */
public final class RtspCamera implements AutoCloseable {
  /** Debian's python3, the one python3-gi is installed for. */
  private static final String PYTHON = "/usr/bin/python3";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path script;
  private final int port;
  private final Consumer<String> printer;
  private Process process;
  private Writer commands;
  private boolean frozen;

  private RtspCamera(Path script, int port, Consumer<String> printer) {
    this.script = script;
    this.port = port;
    this.printer = printer;
  }

  /** Starts a camera on a free port; the script is nvr-image/src/test/python/rtsp_server.py. */
  public static RtspCamera start(Path script, Consumer<String> printer) throws IOException {
    RtspCamera camera = new RtspCamera(script, Ports.free(), printer);
    camera.launch();
    return camera;
  }

  /** The URL of the moving-ball stream. */
  public String url() {
    return "rtsp://127.0.0.1:" + port + "/ball";
  }

  private synchronized void launch() throws IOException {
    process =
        new ProcessBuilder(PYTHON, "-u", script.toString(), Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Process started = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("READY")) {
                    ready.complete(null);
                  } else if (!line.startsWith("OK ")) {
                    printer.accept("camera :" + port + ": " + line);
                  }
                }
              } catch (IOException e) {
                // the process went away; whoever killed it knows
              }
              ready.completeExceptionally(
                  new IOException("the RTSP server exited before it was ready"));
            },
            "rtsp-camera-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the RTSP server started", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException(
          "the RTSP server ("
              + PYTHON
              + " "
              + script
              + ") did not start: are python3-gi and gir1.2-gst-rtsp-server-1.0 installed?",
          e);
    }
    frozen = false;
  }

  /** Stops the video; the RTSP session and RTCP stay alive, as a hung camera's do. */
  public synchronized void freeze() throws IOException {
    command("freeze /ball");
    frozen = true;
  }

  public synchronized void thaw() throws IOException {
    command("thaw /ball");
    frozen = false;
  }

  /** The camera process is gone: connections are refused until {@link #revive()}. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts the camera again on the same port (after a kill). */
  public synchronized void revive() throws IOException {
    if (process == null || !process.isAlive()) {
      launch();
    } else if (frozen) {
      thaw();
    }
  }

  public synchronized String state() {
    if (process == null || !process.isAlive()) {
      return "down";
    }
    return frozen ? "frozen" : "streaming";
  }

  private void command(String line) throws IOException {
    if (process == null || !process.isAlive()) {
      throw new IOException("the camera is down");
    }
    commands.write(line + "\n");
    commands.flush();
  }

  @Override
  public synchronized void close() {
    kill();
  }
}

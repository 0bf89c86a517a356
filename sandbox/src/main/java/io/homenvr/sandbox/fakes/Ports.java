package io.homenvr.sandbox.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports and threads for the stand-in servers, which must come back on the same port. */
public final class Ports {
  private Ports() {}

  /** An executor for a stand-in server: a thread per request, none keeping the JVM alive. */
  public static java.util.concurrent.ExecutorService daemonThreads() {
    return java.util.concurrent.Executors.newCachedThreadPool(
        runnable -> {
          Thread thread = new Thread(runnable, "stand-in-server");
          thread.setDaemon(true);
          return thread;
        });
  }

  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

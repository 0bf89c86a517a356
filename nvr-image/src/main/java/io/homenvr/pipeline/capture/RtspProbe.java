package io.homenvr.pipeline.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a camera's RTSP server answers: one TCP connection, one {@code DESCRIBE} without
 * credentials, the status line read, closed — all within a short timeout. A camera answers when it
 * says 2xx (it can describe the stream) or 401 (it is up and wants the credentials the reader
 * sends). Cheaper for the camera than a session: no SETUP, no media.
 *
 * <p>Used only by its camera's thread; {@link #abort()} may come from any thread and closes a probe
 * in flight, so a stop never waits for the timeout.
 */
final class RtspProbe {
  private static final Pattern STATUS_LINE = Pattern.compile("^RTSP/1\\.\\d (\\d{3})\\b.*");
  private static final int MAX_STATUS_LINE = 256;

  private final String host;
  private final int port;
  private final String request;
  private Socket current;
  private boolean aborted;

  private RtspProbe(String host, int port, String describeUrl) {
    this.host = host;
    this.port = port;
    this.request =
        "DESCRIBE "
            + describeUrl
            + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
            + "User-Agent: homenvr-probe\r\n\r\n";
  }

  /** A probe for an {@code rtsp://} URL (its user-info, if any, is never sent); else empty. */
  static Optional<RtspProbe> of(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return Optional.empty();
    }
    if (!"rtsp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      return Optional.empty();
    }
    int port = uri.getPort() < 0 ? 554 : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String host = uri.getHost();
    String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    return Optional.of(new RtspProbe(host, port, "rtsp://" + authority + path + query));
  }

  /** True when the camera answered 2xx or 401 within {@code timeout}; false on anything else. */
  boolean answers(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket = new Socket();
    synchronized (this) {
      if (aborted) {
        return false;
      }
      current = socket;
    }
    try (socket) {
      socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = statusLine(socket, deadline);
      Matcher matcher = STATUS_LINE.matcher(status);
      if (!matcher.matches()) {
        return false;
      }
      int code = Integer.parseInt(matcher.group(1));
      return (code >= 200 && code < 300) || code == 401;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      synchronized (this) {
        current = null;
      }
    }
  }

  /** Ends a probe in flight and every later one (the camera is stopping). */
  void abort() {
    Socket socket;
    synchronized (this) {
      aborted = true;
      socket = current;
    }
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
  }

  private static String statusLine(Socket socket, long deadline) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] line = new byte[MAX_STATUS_LINE];
    int length = 0;
    while (length < line.length) {
      socket.setSoTimeout(millisLeft(deadline)); // a server dribbling bytes cannot stretch it
      int b = in.read();
      if (b < 0 || b == '\n') {
        break;
      }
      line[length++] = (byte) b;
    }
    return new String(line, 0, length, StandardCharsets.US_ASCII).trim();
  }

  private static int millisLeft(long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new IOException("probe timed out");
    }
    return (int) left;
  }
}

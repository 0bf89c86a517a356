package io.homenvr.operator.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings {@code escalation.deadMansSwitchUrl} (GET) once per healthy check, so that silence tells an
 * outside service homenvr stopped. The ping runs on its own thread with a short timeout: the
 * reconcile thread only hands it over. A failing URL is logged when it starts failing and when it
 * works again, not on every check.
 */
public class DeadMansSwitch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadMansSwitch.class);

  /** What became of one call to {@link #ping}. */
  public enum Outcome {
    /** The URL answered 2xx. */
    OK,
    /** It answered 2xx after failing: logged. */
    RECOVERED,
    /** First failure after success (or the very first ping failed): logged. */
    FAILED,
    /** Failed again: not logged again. */
    STILL_FAILING,
    /** Not sent: this check was already pinged, or the previous ping is still under way. */
    SKIPPED
  }

  private final HttpClient http;
  private final Duration timeout;
  private final ExecutorService pings;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  /** Per CameraMonitor: the check last pinged, whether a ping is under way, whether it fails. */
  private static final class Target {
    final AtomicBoolean inFlight = new AtomicBoolean();
    volatile Instant lastCheck;
    volatile boolean failing;
  }

  public DeadMansSwitch(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
    this.pings =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "dead-mans-switch");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Pings {@code url} for the check {@code monitor} made at {@code checkTime}; returns at once.
   *
   * @param monitor the CameraMonitor object: namespace/name@uid (one ping at a time each; a
   *     re-created object of the same name is another one)
   * @return the outcome, once the ping is answered or timed out
   */
  public CompletableFuture<Outcome> ping(String monitor, String url, Instant checkTime) {
    Target target = targets.computeIfAbsent(monitor, k -> new Target());
    if (Objects.equals(target.lastCheck, checkTime)
        || !target.inFlight.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(Outcome.SKIPPED);
    }
    target.lastCheck = checkTime;
    try {
      return CompletableFuture.supplyAsync(() -> send(url), pings)
          .handle(
              (failure, error) ->
                  error == null
                      ? settle(monitor, url, target, failure)
                      : abandoned(target)); // cancelled: close() interrupted it
    } catch (RejectedExecutionException closed) {
      target.inFlight.set(false);
      return CompletableFuture.completedFuture(Outcome.SKIPPED);
    }
  }

  /** Drops what is kept for a deleted CameraMonitor (the key {@link #ping} was given). */
  public void forget(String monitor) {
    targets.remove(monitor);
  }

  /** Stops the ping thread; a ping under way is interrupted. */
  @Override
  public void close() {
    pings.shutdownNow();
  }

  /** Null when the URL answered 2xx, else why not (without the URL: its path is a secret). */
  private String send(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
      int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return code / 100 == 2 ? null : "HTTP " + code;
    } catch (IOException | RuntimeException e) {
      return e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("the operator is stopping");
    }
  }

  private static Outcome abandoned(Target target) {
    target.inFlight.set(false);
    return Outcome.SKIPPED;
  }

  private static Outcome settle(String monitor, String url, Target target, String failure) {
    try {
      boolean wasFailing = target.failing;
      target.failing = failure != null;
      if (failure == null) {
        if (wasFailing) {
          log.info("{}: dead man's switch at {} answers again", monitor, hostOf(url));
          return Outcome.RECOVERED;
        }
        return Outcome.OK;
      }
      if (wasFailing) {
        return Outcome.STILL_FAILING;
      }
      log.warn(
          "{}: dead man's switch at {} failed ({}); the outside service will report homenvr as"
              + " down. Logged again when it answers.",
          monitor,
          hostOf(url),
          failure);
      return Outcome.FAILED;
    } finally {
      target.inFlight.set(false);
    }
  }

  /** Scheme and host only: the path of a ping URL (e.g. hc-ping.com/<uuid>) lets anyone ping. */
  static String hostOf(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getAuthority();
    } catch (IllegalArgumentException e) {
      return "(an invalid URL)";
    }
  }
}

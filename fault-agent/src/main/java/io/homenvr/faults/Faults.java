package io.homenvr.faults;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The faults themselves; their state is this JVM's, as a bug's would be. */
public final class Faults {
  /** The pipeline's camera threads are named "camera-" + the camera's name. */
  private static final String CAMERA_THREAD = "camera-";

  /** The lock a "closer" thread took and never gives back: the seed's bug, in Java. */
  private static final Object READER_LOCK = new Object();

  private static final CountDownLatch NEVER = new CountDownLatch(1);
  private static final AtomicInteger SPINNERS = new AtomicInteger();
  private static volatile String deadlockedCamera;
  private static volatile String wedgedRecorder;

  /** The pipeline's recorder threads are named "record-" + the camera's name. */
  private static final String RECORDER_THREAD = "record-";

  private static volatile boolean framesStopped;
  private static volatile long sink;

  private Faults() {}

  /** Called by every capture thread before it reads a frame. */
  public static void beforeFrame() {
    String thread = Thread.currentThread().getName();
    if (framesStopped && thread.startsWith(CAMERA_THREAD)) {
      waitForever();
    }
    String camera = deadlockedCamera;
    if (camera != null && thread.equals(CAMERA_THREAD + camera)) {
      synchronized (READER_LOCK) {
        // never reached: the closer holds the lock for good
        sink++;
      }
    }
  }

  /** Called by every recorder thread before it hands a packet to the muxer. */
  public static void beforeMux() {
    String camera = wedgedRecorder;
    if (camera != null && Thread.currentThread().getName().equals(RECORDER_THREAD + camera)) {
      waitForever();
    }
  }

  /**
   * One camera's recorder blocks forever in its next write, as on a hung disk or NFS mount: the
   * camera's frames keep flowing and /status answers, but no segment is closed any more.
   */
  static String wedgeRecorder(String camera) {
    wedgedRecorder = camera;
    return "camera " + camera + ": its recorder blocks in its next write";
  }

  /**
   * One camera's capture thread blocks, on its next frame, on a lock that another thread took to
   * "close" the reader and never released (that thread is itself stuck). The process lives, /status
   * answers, the other cameras stream; this camera's frames stop. No monitor cycle: the JVM's own
   * deadlock check does not see it, only the frames do.
   */
  static synchronized String deadlock(String camera) {
    if (deadlockedCamera != null) {
      return "camera " + deadlockedCamera + " is already stuck";
    }
    CountDownLatch held = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              synchronized (READER_LOCK) {
                held.countDown();
                waitForever();
              }
            },
            "reader-closer-" + camera);
    closer.setDaemon(true);
    closer.start();
    try {
      held.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadlockedCamera = camera;
    return "camera "
        + camera
        + ": its capture thread blocks on the next frame on a lock held by "
        + closer.getName();
  }

  /** Every camera stops on its next frame while {@code threads} threads burn a core each. */
  static String spin(int threads) {
    framesStopped = true;
    for (int i = 0; i < threads; i++) {
      Thread spinner =
          new Thread(
              () -> {
                long x = 0;
                while (true) {
                  x += System.nanoTime() % 7;
                  if (x == Long.MIN_VALUE) {
                    sink = x;
                  }
                }
              },
              "spinner-" + SPINNERS.incrementAndGet());
      spinner.setDaemon(true);
      spinner.start();
    }
    return "every camera stopped, " + threads + " thread(s) spinning";
  }

  /** Standard output and error go nowhere: the logs stop, nothing else does. */
  static String silenceLogs() {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true);
    System.setOut(nowhere);
    System.setErr(nowhere);
    return "logs silenced";
  }

  /**
   * {@code count} lines at ERROR through the pipeline's own logging, {@code everyMs} apart, while
   * frames keep flowing: serious ones (an analysis loop that throws), or transient ones (a camera
   * connection reset, which the operator's transientErrorPatterns let pass).
   */
  static String errors(boolean serious, int count, long everyMs) {
    Logger log =
        LoggerFactory.getLogger(
            serious
                ? "io.homenvr.pipeline.motion.AnalysisLoop"
                : "io.homenvr.pipeline.capture.CameraStream");
    Thread storm =
        new Thread(
            () -> {
              for (int i = 0; i < count; i++) {
                if (serious) {
                  log.error(
                      "analysis loop failed: java.lang.IllegalStateException: detector state"
                          + " corrupt (frame {})",
                      i);
                } else {
                  log.error("camera=gate read failed: Connection reset by peer");
                }
                LockSupport.parkNanos(everyMs * 1_000_000L);
              }
            },
            "error-storm");
    storm.setDaemon(true);
    storm.start();
    return count + (serious ? " serious" : " transient") + " error lines, " + everyMs + " ms apart";
  }

  private static void waitForever() {
    while (true) {
      try {
        NEVER.await();
      } catch (InterruptedException e) {
        // a stuck thread stays stuck
      }
    }
  }
}

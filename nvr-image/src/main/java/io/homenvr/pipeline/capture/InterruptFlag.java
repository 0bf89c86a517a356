package io.homenvr.pipeline.capture;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * FFmpeg's interrupt callback for one session, answered without calling into Java.
 *
 * <p>FFmpeg asks the callback before every blocking wait and between reads: over RTSP/TCP more than
 * a thousand times a second for a 4 Mbit/s camera. A Java callback costs a JNI up-call and an
 * object each time (≈ 5 % of a 1080p camera's CPU, measured with perf: {@code jni_AllocObject},
 * {@code JavaCalls::call_helper}). So the callback is C's {@code atoi} on a native one-digit
 * string: {@code "0"} reads as "go on", {@code "1"} as "stop" — a plain memory read in the reading
 * thread. The decision moves to one shared watchdog thread that raises a session's flag once its
 * deadline has passed or its stop was requested. It sleeps until the earliest deadline (at most
 * {@link #MAX_SLEEP_MILLIS}); {@link #checkNow()} wakes it at once for a stop. A raised flag stays
 * raised: the session is dead and its owner closes it.
 *
 * <p>{@code atoi(const char *)} has the calling convention of FFmpeg's {@code int (*)(void *)} on
 * every ABI the images ship for (x86-64, arm64): one pointer in, an int back.
 */
final class InterruptFlag implements AutoCloseable {
  /** The watchdog looks at least this often, whatever the deadlines say. */
  static final long MAX_SLEEP_MILLIS = 1000;

  private static final Pointer ATOI = nativeAtoi();
  private static final Set<InterruptFlag> OPEN = ConcurrentHashMap.newKeySet();
  private static final Thread WATCHDOG = new Thread(InterruptFlag::watch, "capture-watchdog");

  static {
    WATCHDOG.setDaemon(true);
    WATCHDOG.start();
  }

  private final BooleanSupplier stopRequested;
  private final LongSupplier deadlineNanos;
  private BytePointer digit = new BytePointer("0");
  private volatile boolean raised;

  /**
   * A flag raised when {@code stopRequested} answers true or {@link System#nanoTime()} passes
   * {@code deadlineNanos}; both are read on the watchdog thread, so they must be cheap and
   * thread-safe. A deadline moved earlier is seen within {@link #MAX_SLEEP_MILLIS}.
   */
  InterruptFlag(BooleanSupplier stopRequested, LongSupplier deadlineNanos) {
    this.stopRequested = stopRequested;
    this.deadlineNanos = deadlineNanos;
    OPEN.add(this);
    checkNow(); // its deadline may be sooner than the watchdog's next look
  }

  /** Wakes the watchdog to look at every session now: call after requesting a stop. */
  static void checkNow() {
    LockSupport.unpark(WATCHDOG);
  }

  /** Points {@code callback} at this flag: install before {@code avformat_open_input}. */
  void install(AVIOInterruptCB callback) {
    // the struct's first member is the C function pointer itself; JavaCPP's setter would store a
    // pointer to its own callback trampoline record, which only a Java callback has
    new PointerPointer<Pointer>(callback).put(0, ATOI); // a view of the struct: nothing to free
    callback.opaque(digit);
  }

  /** Whether the flag was raised: every FFmpeg call on the session returns an error since. */
  boolean raised() {
    return raised;
  }

  private static void watch() {
    while (true) {
      long now = System.nanoTime();
      long sleep = TimeUnit.MILLISECONDS.toNanos(MAX_SLEEP_MILLIS);
      for (InterruptFlag flag : OPEN) {
        sleep = Math.min(sleep, flag.check(now));
      }
      LockSupport.parkNanos(Math.max(sleep, 1_000_000));
    }
  }

  /** Raises the flag when due; returns how long until it may be due, in ns. */
  private synchronized long check(long now) {
    if (digit == null || raised) {
      return Long.MAX_VALUE;
    }
    long untilDeadline;
    boolean stop;
    try {
      untilDeadline = deadlineNanos.getAsLong() - now;
      stop = stopRequested.getAsBoolean();
    } catch (RuntimeException e) {
      untilDeadline = -1; // the watchdog must survive its callers: a session it cannot judge ends
      stop = true;
    }
    if (untilDeadline < 0 || stop) {
      raised = true;
      digit.put(0, (byte) '1');
      return Long.MAX_VALUE;
    }
    return untilDeadline + 1_000_000; // just after it, so it has passed when we look
  }

  /**
   * After the session is closed: FFmpeg no longer reads the flag, the watchdog no longer writes.
   */
  @Override
  public synchronized void close() {
    OPEN.remove(this);
    if (digit != null) {
      digit.close();
      digit = null;
    }
  }

  private static Pointer nativeAtoi() {
    Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
    Pointer atoi = Loader.addressof("atoi");
    if (atoi == null || atoi.isNull()) {
      throw new IllegalStateException("C library function atoi not found");
    }
    return atoi;
  }
}

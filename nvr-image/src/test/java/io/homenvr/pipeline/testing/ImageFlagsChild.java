package io.homenvr.pipeline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/**
 * Run by ContainerImageTest in a child JVM with the image's flags: loads FFmpeg natives, then
 * behaves like the pipeline under memory pressure (live non-daemon threads, one of which runs out
 * of heap). Without {@code -XX:+ExitOnOutOfMemoryError} that JVM would live on, half-dead.
 */
public final class ImageFlagsChild {
  private ImageFlagsChild() {}

  public static void main(String[] args) throws Exception {
    Loader.load(avutil.class);
    System.out.println("natives cache: " + Loader.getCacheDir());
    System.out.flush();
    Thread camera =
        new Thread(
            () -> {
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "camera-like");
    camera.start();
    Thread leak =
        new Thread(
            () -> {
              List<long[]> held = new ArrayList<>();
              while (true) {
                held.add(new long[1 << 20]);
              }
            },
            "leak");
    leak.start();
  }
}

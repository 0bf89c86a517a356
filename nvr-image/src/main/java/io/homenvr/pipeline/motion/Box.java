package io.homenvr.pipeline.motion;

/** A rectangle in full-resolution frame pixels. */
public record Box(int x, int y, int width, int height) {

  /** Grown by {@code margin} of its size on each side, kept inside a frame of this size. */
  public Box expand(double margin, int frameWidth, int frameHeight) {
    int dx = (int) Math.max(16, width * margin);
    int dy = (int) Math.max(16, height * margin);
    int left = Math.max(0, x - dx);
    int top = Math.max(0, y - dy);
    int right = Math.min(frameWidth, x + width + dx);
    int bottom = Math.min(frameHeight, y + height + dy);
    return new Box(left, top, right - left, bottom - top);
  }

  /** The same region in a frame of another size (the camera changed resolution meanwhile). */
  public Box rescale(int fromWidth, int fromHeight, int toWidth, int toHeight) {
    if (fromWidth == toWidth && fromHeight == toHeight) {
      return this;
    }
    int left = Math.min(toWidth - 1, (int) ((long) x * toWidth / fromWidth));
    int top = Math.min(toHeight - 1, (int) ((long) y * toHeight / fromHeight));
    int right = (int) Math.min(toWidth, ceilDiv((long) (x + width) * toWidth, fromWidth));
    int bottom = (int) Math.min(toHeight, ceilDiv((long) (y + height) * toHeight, fromHeight));
    return new Box(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  public boolean contains(int px, int py) {
    return px >= x && px < x + width && py >= y && py < y + height;
  }
}

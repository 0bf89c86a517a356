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

  public boolean contains(int px, int py) {
    return px >= x && px < x + width && py >= y && py < y + height;
  }
}

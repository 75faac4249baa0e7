package dev.pix2seq.api.value;

/** A 2D point; x to the right, y down. */
public record Point(double x, double y) {

  public Point {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("point must be finite, found (" + x + ", " + y + ")");
    }
  }
}

package dev.pix2seq.api.value;

/**
 * An axis-aligned box by its corners, {@code xMin <= xMax} and {@code yMin <= yMax}. The unit
 * is the caller's (pixels, or 0..1 normalised coordinates inside codecs).
 *
 * @param xMin left edge
 * @param yMin top edge
 * @param xMax right edge
 * @param yMax bottom edge
 */
public record BoundingBox(double xMin, double yMin, double xMax, double yMax) {

  public BoundingBox {
    if (!(Double.isFinite(xMin) && Double.isFinite(yMin) && Double.isFinite(xMax)
        && Double.isFinite(yMax))) {
      throw new IllegalArgumentException(
          "box corners must be finite, found " + xMin + "," + yMin + "," + xMax + "," + yMax);
    }
    if (xMax < xMin || yMax < yMin) {
      throw new IllegalArgumentException(
          "box needs xMin <= xMax and yMin <= yMax, found x " + xMin + ".." + xMax + ", y "
              + yMin + ".." + yMax);
    }
  }

  /** A box from COCO's {@code [x, y, width, height]}. */
  public static BoundingBox ofXywh(double x, double y, double width, double height) {
    return new BoundingBox(x, y, x + width, y + height);
  }

  public double width() {
    return xMax - xMin;
  }

  public double height() {
    return yMax - yMin;
  }

  public double area() {
    return width() * height();
  }

  public double centerX() {
    return (xMin + xMax) / 2;
  }

  public double centerY() {
    return (yMin + yMax) / 2;
  }

  /** COCO's {@code [x, y, width, height]}. */
  public double[] toXywh() {
    return new double[] {xMin, yMin, width(), height()};
  }

  /** This box clipped to {@code [0, width] x [0, height]}; may become empty. */
  public BoundingBox clip(double width, double height) {
    double x0 = Math.min(Math.max(xMin, 0), width);
    double y0 = Math.min(Math.max(yMin, 0), height);
    double x1 = Math.min(Math.max(xMax, 0), width);
    double y1 = Math.min(Math.max(yMax, 0), height);
    return new BoundingBox(x0, y0, x1, y1);
  }

  /** This box mapped by {@code p -> p * scale + offset} on each axis. */
  public BoundingBox transform(double scale, double offsetX, double offsetY) {
    return new BoundingBox(
        xMin * scale + offsetX, yMin * scale + offsetY, xMax * scale + offsetX,
        yMax * scale + offsetY);
  }

  /** The mirror image of this box in an image of the given width. */
  public BoundingBox flipHorizontal(double imageWidth) {
    return new BoundingBox(imageWidth - xMax, yMin, imageWidth - xMin, yMax);
  }

  /** Intersection over union with another box; 0 when both are empty. */
  public double iou(BoundingBox other) {
    double iw = Math.min(xMax, other.xMax) - Math.max(xMin, other.xMin);
    double ih = Math.min(yMax, other.yMax) - Math.max(yMin, other.yMin);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    return inter / (area() + other.area() - inter);
  }
}

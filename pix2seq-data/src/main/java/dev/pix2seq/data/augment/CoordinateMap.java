package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Point;

/**
 * An axis-aligned affine map {@code x' = scaleX * x + offsetX}, {@code y' = scaleY * y + offsetY}
 * (a negative {@code scaleX} mirrors). Every augmentation is such a map, so a sample remembers how
 * its coordinates relate to the source image and predictions can be mapped back with {@link
 * #inverse()}.
 *
 * @param scaleX x scale, non-zero
 * @param offsetX x offset
 * @param scaleY y scale, non-zero
 * @param offsetY y offset
 */
public record CoordinateMap(double scaleX, double offsetX, double scaleY, double offsetY) {

  /** The map that changes nothing. */
  public static final CoordinateMap IDENTITY = new CoordinateMap(1, 0, 1, 0);

  public CoordinateMap {
    if (!(Double.isFinite(scaleX) && Double.isFinite(offsetX) && Double.isFinite(scaleY)
        && Double.isFinite(offsetY))) {
      throw new IllegalArgumentException("coordinate map must be finite, found x' = " + scaleX
          + " x + " + offsetX + ", y' = " + scaleY + " y + " + offsetY);
    }
    if (scaleX == 0 || scaleY == 0) {
      throw new IllegalArgumentException(
          "coordinate map scales must be non-zero, found " + scaleX + ", " + scaleY);
    }
  }

  /** Scaling about the origin. */
  public static CoordinateMap scale(double sx, double sy) {
    return new CoordinateMap(sx, 0, sy, 0);
  }

  /** A translation. */
  public static CoordinateMap translate(double dx, double dy) {
    return new CoordinateMap(1, dx, 1, dy);
  }

  /** The mirror image in an image of the given width: {@code x' = width - x}. */
  public static CoordinateMap mirrorX(double width) {
    return new CoordinateMap(-1, width, 1, 0);
  }

  public double x(double x) {
    return scaleX * x + offsetX;
  }

  public double y(double y) {
    return scaleY * y + offsetY;
  }

  public Point apply(Point p) {
    return new Point(x(p.x()), y(p.y()));
  }

  /** The image of a box (corners re-ordered when the map mirrors). */
  public BoundingBox apply(BoundingBox b) {
    double xa = x(b.xMin());
    double xb = x(b.xMax());
    double ya = y(b.yMin());
    double yb = y(b.yMax());
    return new BoundingBox(Math.min(xa, xb), Math.min(ya, yb), Math.max(xa, xb),
        Math.max(ya, yb));
  }

  /** This map followed by {@code next}. */
  public CoordinateMap then(CoordinateMap next) {
    return new CoordinateMap(next.scaleX * scaleX, next.scaleX * offsetX + next.offsetX,
        next.scaleY * scaleY, next.scaleY * offsetY + next.offsetY);
  }

  /** The map back. */
  public CoordinateMap inverse() {
    return new CoordinateMap(1 / scaleX, -offsetX / scaleX, 1 / scaleY, -offsetY / scaleY);
  }

  /** Whether the map mirrors the x axis. */
  public boolean mirrorsX() {
    return scaleX < 0;
  }
}

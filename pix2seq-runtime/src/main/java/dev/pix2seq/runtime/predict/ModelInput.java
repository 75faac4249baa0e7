package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.data.augment.CoordinateMap;
import java.util.ArrayList;
import java.util.List;

/**
 * One square model input and how it relates to the image it was made from. Codecs read and
 * write geometry normalised to 0..1 over this input; {@code toSource} maps such geometry back to
 * pixels of the source image, {@link #normalise(BoundingBox)} maps the other way.
 *
 * @param image the square model input (side = the model's image size)
 * @param sourceWidth width of the source image in pixels
 * @param sourceHeight height of the source image in pixels
 * @param fromSource how source pixels map to pixels of {@code image}
 */
public record ModelInput(
    ImageTensor image, int sourceWidth, int sourceHeight, CoordinateMap fromSource) {

  public ModelInput {
    if (image == null || fromSource == null) {
      throw new IllegalArgumentException("a model input needs an image and a coordinate map");
    }
    if (image.width() != image.height()) {
      throw new IllegalArgumentException(
          "model inputs are square, found " + image.width() + "x" + image.height());
    }
    if (sourceWidth <= 0 || sourceHeight <= 0) {
      throw new IllegalArgumentException(
          "source size must be positive, found " + sourceWidth + "x" + sourceHeight);
    }
  }

  /** Side of the square input in pixels. */
  public int side() {
    return image.width();
  }

  /** The map from normalised input coordinates to source pixels. */
  public CoordinateMap toSource() {
    return CoordinateMap.scale(side(), side()).then(fromSource.inverse());
  }

  /** A normalised box as a box in source pixels (not clipped). */
  public BoundingBox toSource(BoundingBox normalised) {
    return toSource().apply(normalised);
  }

  /** A normalised point as a point in source pixels (not clipped). */
  public Point toSource(Point normalised) {
    return toSource().apply(normalised);
  }

  /** A normalised polygon as a polygon in source pixels. */
  public Polygon toSource(Polygon normalised) {
    CoordinateMap m = toSource();
    List<Point> pts = new ArrayList<>(normalised.points().size());
    for (Point p : normalised.points()) {
      pts.add(m.apply(p));
    }
    return new Polygon(pts);
  }

  /** Normalised keypoints in source pixels; unlabeled ones stay as they are. */
  public Keypoints toSource(Keypoints normalised) {
    CoordinateMap m = toSource();
    List<Keypoint> pts = new ArrayList<>(normalised.points().size());
    for (Keypoint k : normalised.points()) {
      pts.add(k.visibility().isLabeled()
          ? new Keypoint(m.x(k.x()), m.y(k.y()), k.visibility(), k.score())
          : k);
    }
    return new Keypoints(pts, normalised.score());
  }

  /**
   * A box in source pixels as the normalised box a prompt names, as training builds it: clipped
   * to the source image, mapped into the input, normalised and clipped to 0..1.
   */
  public BoundingBox normalise(BoundingBox sourceBox) {
    BoundingBox inInput = fromSource.apply(sourceBox.clip(sourceWidth, sourceHeight));
    return inInput.transform(1.0 / side(), 0, 0).clip(1, 1);
  }
}

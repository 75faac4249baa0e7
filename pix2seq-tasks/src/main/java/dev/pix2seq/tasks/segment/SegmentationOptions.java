package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.tasks.TaskOptions;

/**
 * Options of the segmentation task; {@link #defaults()} holds the Pix2seq reference's choices.
 *
 * @param maxPoints most polygon vertices per response (over all polygons), at least 3
 * @param randomStartVertex whether training starts each polygon at a random vertex (keeping its
 *     direction), so the model does not learn an arbitrary starting convention; when off, each
 *     polygon starts at its top-most vertex, one deterministic target that a small model learns
 *     sooner
 */
public record SegmentationOptions(int maxPoints, boolean randomStartVertex)
    implements TaskOptions {

  /** The reference's 128 points per instance. */
  public static final int DEFAULT_MAX_POINTS = 128;
  /** Random start vertices on. */
  public static final boolean DEFAULT_RANDOM_START_VERTEX = true;

  public SegmentationOptions {
    if (maxPoints < Polygon.MIN_POINTS) {
      throw new IllegalArgumentException(
          "segment maxPoints must be >= " + Polygon.MIN_POINTS + ", found " + maxPoints);
    }
  }

  /** Every default in one place. */
  public static SegmentationOptions defaults() {
    return new SegmentationOptions(DEFAULT_MAX_POINTS, DEFAULT_RANDOM_START_VERTEX);
  }

  public SegmentationOptions withMaxPoints(int value) {
    return new SegmentationOptions(value, randomStartVertex);
  }

  public SegmentationOptions withRandomStartVertex(boolean value) {
    return new SegmentationOptions(maxPoints, value);
  }
}

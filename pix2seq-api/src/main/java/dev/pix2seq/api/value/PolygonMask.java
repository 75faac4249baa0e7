package dev.pix2seq.api.value;

import java.util.List;

/**
 * A mask as one or more polygons (an occluded object may be split into several parts).
 *
 * @param polygons the parts; copied; may be empty for a mask the model could not produce
 */
public record PolygonMask(List<Polygon> polygons) implements InstanceMask {

  public PolygonMask {
    polygons = List.copyOf(polygons);
  }

  /** Total vertex count over all parts. */
  public int pointCount() {
    return polygons.stream().mapToInt(p -> p.points().size()).sum();
  }
}

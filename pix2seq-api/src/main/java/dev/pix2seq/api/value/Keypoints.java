package dev.pix2seq.api.value;

import java.util.List;

/**
 * The keypoints of one instance, in the order of its category's {@link KeypointSchema}.
 *
 * @param points one entry per schema keypoint; copied
 * @param score instance confidence in [0, 1]
 */
public record Keypoints(List<Keypoint> points, double score) {

  public Keypoints {
    points = List.copyOf(points);
  }

  /** Number of labeled (occluded or visible) keypoints, COCO's {@code num_keypoints}. */
  public int labeledCount() {
    return (int) points.stream().filter(k -> k.visibility().isLabeled()).count();
  }

  /** COCO's flat {@code [x1, y1, v1, ...]} list. */
  public double[] toCocoArray() {
    double[] a = new double[points.size() * 3];
    for (int i = 0; i < points.size(); i++) {
      Keypoint k = points.get(i);
      a[3 * i] = k.x();
      a[3 * i + 1] = k.y();
      a[3 * i + 2] = k.visibility().cocoFlag();
    }
    return a;
  }
}

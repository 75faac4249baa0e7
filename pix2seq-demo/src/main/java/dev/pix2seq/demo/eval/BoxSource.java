package dev.pix2seq.demo.eval;

import java.util.Locale;

/**
 * Where the boxes come from that prompt the instance-level tasks (segmentation, keypoints).
 * Prompted by ground-truth boxes, a score measures the task alone; prompted by the model's own
 * detections, it measures the whole pipeline, detection errors included.
 */
public enum BoxSource {
  /** The dataset's boxes (non-crowd annotations), each with score 1. */
  GROUND_TRUTH("gt-boxes", ""),
  /** The model's own detections, each with its detection score. */
  DETECTIONS("detected", "_detected");

  private final String fileTag;
  private final String metricSuffix;

  BoxSource(String fileTag, String metricSuffix) {
    this.fileTag = fileTag;
    this.metricSuffix = metricSuffix;
  }

  /** The tag in file names: {@code gt-boxes} or {@code detected}. */
  public String fileTag() {
    return fileTag;
  }

  /**
   * The suffix of metric keys: empty for ground-truth boxes (the headline number, e.g. {@code
   * segm_AP}), {@code _detected} for own detections ({@code segm_AP_detected}).
   */
  public String metricSuffix() {
    return metricSuffix;
  }

  /** Words for people: {@code ground-truth boxes} or {@code own detections}. */
  public String description() {
    return this == GROUND_TRUTH ? "ground-truth boxes" : "own detections";
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

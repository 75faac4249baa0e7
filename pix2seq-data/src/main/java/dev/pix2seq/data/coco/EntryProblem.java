package dev.pix2seq.data.coco;

import dev.pix2seq.data.coco.ReadReport.SkipReason;

/**
 * A problem confined to one JSON entry (an image, category or annotation), at a path relative
 * to the entry such as {@code .segmentation[0]}. The reader adds the file, the entry's index and
 * id, and either throws or, for annotations in lenient mode, counts it.
 */
final class EntryProblem extends Exception {
  private static final long serialVersionUID = 1L;
  private final SkipReason reason;
  private final String relativePath;
  private final String detail;

  EntryProblem(SkipReason reason, String relativePath, String detail) {
    super(relativePath + ": " + detail, null, false, false);
    this.reason = reason;
    this.relativePath = relativePath;
    this.detail = detail;
  }

  SkipReason reason() {
    return reason;
  }

  String relativePath() {
    return relativePath;
  }

  String detail() {
    return detail;
  }
}

package dev.pix2seq.demo.eval;

import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.IouType;
import java.util.List;
import java.util.Optional;

/**
 * A COCO-scored task: the results list (as a COCO results file holds it) and its evaluation.
 * {@link #ap()} is pycocotools' first statistic, AP@[.50:.95], or NaN when nothing defines it
 * (no ground truth of the kind among the evaluated images).
 */
public sealed interface CocoScore permits DetectionScore, MaskScore, KeypointScore {

  /** The pycocotools evaluation (stats, precision array for plots, summary lines). */
  CocoEvalResult evaluation();

  /** The results, in COCO results-file form, image by image. */
  List<?> results();

  /** The key of {@link #ap()} in {@link ModelEvaluation#metrics()}, e.g. {@code segm_AP}. */
  String metricKey();

  /** The stem of this score's files, e.g. {@code segm-gt-boxes}. */
  String fileStem();

  /** A title for people, e.g. {@code segm (ground-truth boxes)}. */
  String title();

  /** What prompted the instances (segmentation, keypoints); empty for detection. */
  Optional<BoxSource> boxSource();

  /** What was compared: boxes, masks or keypoints. */
  default IouType iouType() {
    return evaluation().iouType();
  }

  /** AP@[.50:.95] in [0, 1], or NaN where pycocotools reports -1. */
  default double ap() {
    return stat(0);
  }

  /** Statistic {@code i} of pycocotools' {@code stats}, or NaN where it reports -1. */
  default double stat(int i) {
    double v = evaluation().stats()[i];
    return v < 0 ? Double.NaN : v;
  }
}

package dev.pix2seq.demo.eval;

import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.runtime.predict.CocoResultsWriter.KeypointResult;
import java.util.List;
import java.util.Optional;

/**
 * Keypoint detection scored by keypoint AP (object keypoint similarity).
 *
 * @param boxes what prompted the keypoints (instances of keypoint categories only)
 * @param evaluation the keypoints evaluation
 * @param results every instance's keypoints, image by image
 */
public record KeypointScore(
    BoxSource boxes, CocoEvalResult evaluation, List<KeypointResult> results)
    implements CocoScore {

  /** The key of keypoint AP with ground-truth boxes; own detections add {@code _detected}. */
  public static final String METRIC = "keypoints_AP";

  public KeypointScore {
    if (boxes == null) {
      throw new IllegalArgumentException("a keypoint score needs its box source");
    }
    if (evaluation == null || evaluation.iouType() != IouType.KEYPOINTS) {
      throw new IllegalArgumentException("a keypoint score needs a keypoints evaluation, found "
          + (evaluation == null ? null : evaluation.iouType()));
    }
    results = List.copyOf(results);
  }

  @Override
  public Optional<BoxSource> boxSource() {
    return Optional.of(boxes);
  }

  @Override
  public String metricKey() {
    return METRIC + boxes.metricSuffix();
  }

  @Override
  public String fileStem() {
    return "keypoints-" + boxes.fileTag();
  }

  @Override
  public String title() {
    return "keypoints (" + boxes.description() + ")";
  }
}

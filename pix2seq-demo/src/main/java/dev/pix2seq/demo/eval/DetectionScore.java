package dev.pix2seq.demo.eval;

import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.runtime.predict.CocoResultsWriter.BoxResult;
import java.util.List;
import java.util.Optional;

/**
 * Object detection scored by box AP.
 *
 * @param evaluation the bbox evaluation
 * @param results every detection, image by image
 */
public record DetectionScore(CocoEvalResult evaluation, List<BoxResult> results)
    implements CocoScore {

  /** The key of box AP in the metrics. */
  public static final String METRIC = "bbox_AP";

  public DetectionScore {
    if (evaluation == null || evaluation.iouType() != IouType.BBOX) {
      throw new IllegalArgumentException("a detection score needs a bbox evaluation, found "
          + (evaluation == null ? null : evaluation.iouType()));
    }
    results = List.copyOf(results);
  }

  @Override
  public Optional<BoxSource> boxSource() {
    return Optional.empty();
  }

  @Override
  public String metricKey() {
    return METRIC;
  }

  @Override
  public String fileStem() {
    return "bbox";
  }

  @Override
  public String title() {
    return "bbox";
  }
}

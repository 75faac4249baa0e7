package dev.pix2seq.demo.eval;

import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.runtime.predict.CocoResultsWriter.MaskResult;
import java.util.List;
import java.util.Optional;

/**
 * Instance segmentation scored by mask AP.
 *
 * @param boxes what prompted the masks
 * @param evaluation the segm evaluation
 * @param results every mask, image by image
 */
public record MaskScore(BoxSource boxes, CocoEvalResult evaluation, List<MaskResult> results)
    implements CocoScore {

  /** The key of mask AP with ground-truth boxes; own detections add {@code _detected}. */
  public static final String METRIC = "segm_AP";

  public MaskScore {
    if (boxes == null) {
      throw new IllegalArgumentException("a mask score needs its box source");
    }
    if (evaluation == null || evaluation.iouType() != IouType.SEGM) {
      throw new IllegalArgumentException("a mask score needs a segm evaluation, found "
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
    return "segm-" + boxes.fileTag();
  }

  @Override
  public String title() {
    return "segm (" + boxes.description() + ")";
  }
}

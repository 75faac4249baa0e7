package dev.pix2seq.tasks.detect;

import dev.pix2seq.api.value.BoundingBox;

/**
 * One ground-truth object of a detection annotation.
 *
 * @param box the object's box, normalised over the padded square model input (values outside
 *     0..1 are clipped when the codec uses them)
 * @param categoryId the dataset's category id
 */
public record LabeledBox(BoundingBox box, int categoryId) {

  public LabeledBox {
    if (box == null) {
      throw new IllegalArgumentException("labeled box needs a box");
    }
  }
}

package dev.pix2seq.eval.caption;

/**
 * What the evaluator does with a ground-truth image that has reference captions but no
 * result. Images without reference captions are never evaluated (BLEU and CIDEr-D need a
 * reference) and never count as missing.
 */
public enum MissingResultPolicy {
  /**
   * The toolkit's behaviour (the default): evaluate only the images that have a result; the
   * others are listed in {@link CaptionEvaluation#imagesWithoutResult()}. A model that skips
   * hard images is not penalised, and CIDEr-D's document frequencies come from the evaluated
   * images' references only.
   */
  SKIP,
  /**
   * Evaluate every image with references; one without a result is scored as an empty
   * caption (0 on every metric, and it lengthens the corpus reference length, lowering the
   * corpus BLEU through the brevity penalty).
   */
  SCORE_AS_EMPTY,
  /** Fail with a {@link dev.pix2seq.api.DatasetException} naming the images without result. */
  FAIL
}

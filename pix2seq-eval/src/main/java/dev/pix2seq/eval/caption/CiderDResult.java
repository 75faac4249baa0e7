package dev.pix2seq.eval.caption;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Corpus and per-image CIDEr-D.
 *
 * @param corpus the mean of the per-image scores
 * @param perImage each image's score, in evaluation order
 */
public record CiderDResult(double corpus, Map<Long, Double> perImage) {

  /** @throws IllegalArgumentException if the corpus score is negative or not finite */
  public CiderDResult {
    if (!(corpus >= 0) || Double.isInfinite(corpus)) {
      throw new IllegalArgumentException("CIDEr-D must be a finite number >= 0, found " + corpus);
    }
    perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
  }
}

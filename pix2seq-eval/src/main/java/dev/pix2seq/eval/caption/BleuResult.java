package dev.pix2seq.eval.caption;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus and per-image BLEU as the toolkit returns them.
 *
 * @param corpus corpus BLEU-1..4 (counts summed over all images, then one brevity penalty)
 * @param totals the summed counts
 * @param perImage each image's own BLEU-1..4, in evaluation order
 * @param perImageCounts each image's counts, in evaluation order
 */
public record BleuResult(BleuScore corpus, BleuCounts totals, Map<Long, BleuScore> perImage,
    Map<Long, BleuCounts> perImageCounts) {

  /**
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the two maps name different images
   */
  public BleuResult {
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(totals, "totals");
    perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
    perImageCounts = Collections.unmodifiableMap(new LinkedHashMap<>(perImageCounts));
    if (!perImage.keySet().equals(perImageCounts.keySet())) {
      throw new IllegalArgumentException("per-image scores and counts must name the same "
          + "images, found " + perImage.keySet() + " and " + perImageCounts.keySet());
    }
  }
}

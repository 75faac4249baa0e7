package dev.pix2seq.eval.caption;

import java.util.Objects;

/**
 * The scores of one evaluated image.
 *
 * @param bleu its own BLEU-1..4 (with its own brevity penalty)
 * @param bleuCounts the counts its BLEU comes from (lengths, n-gram counts)
 * @param ciderD its CIDEr-D
 */
public record ImageCaptionScores(BleuScore bleu, BleuCounts bleuCounts, double ciderD) {

  /** @throws IllegalArgumentException if {@code ciderD} is negative or not finite */
  public ImageCaptionScores {
    Objects.requireNonNull(bleu, "bleu");
    Objects.requireNonNull(bleuCounts, "bleuCounts");
    if (!(ciderD >= 0) || Double.isInfinite(ciderD)) {
      throw new IllegalArgumentException("CIDEr-D must be a finite number >= 0, found " + ciderD);
    }
  }
}

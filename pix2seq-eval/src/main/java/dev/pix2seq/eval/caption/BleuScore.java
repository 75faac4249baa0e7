package dev.pix2seq.eval.caption;

import java.util.List;

/**
 * BLEU-1..4 of one image or of a corpus. BLEU-n is the geometric mean of the modified
 * n-gram precisions of orders 1..n times the brevity penalty.
 *
 * @param bleu1 BLEU-1
 * @param bleu2 BLEU-2
 * @param bleu3 BLEU-3
 * @param bleu4 BLEU-4
 */
public record BleuScore(double bleu1, double bleu2, double bleu3, double bleu4) {

  /** @throws IllegalArgumentException if a value is negative or not finite */
  public BleuScore {
    double[] values = {bleu1, bleu2, bleu3, bleu4};
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(
            "BLEU-" + (i + 1) + " must be a finite number >= 0, found " + values[i]);
      }
    }
  }

  /**
   * BLEU-n.
   *
   * @param n the order, 1 to 4
   * @throws IllegalArgumentException if n is outside 1..4
   */
  public double bleu(int n) {
    return switch (n) {
      case 1 -> bleu1;
      case 2 -> bleu2;
      case 3 -> bleu3;
      case 4 -> bleu4;
      default -> throw new IllegalArgumentException("BLEU order must be 1 to 4, found " + n);
    };
  }

  /** BLEU-1..4 in order. */
  public List<Double> asList() {
    return List.of(bleu1, bleu2, bleu3, bleu4);
  }
}

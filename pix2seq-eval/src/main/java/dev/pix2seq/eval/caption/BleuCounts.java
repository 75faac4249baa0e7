package dev.pix2seq.eval.caption;

import java.util.List;

/**
 * The counts BLEU is computed from (the toolkit prints them as {@code testlen}, {@code reflen},
 * {@code guess} and {@code correct}).
 *
 * @param candidateLength candidate tokens
 * @param referenceLength effective reference length: for each image the length of the
 *     reference closest to the candidate's, the shorter one on a tie
 * @param guess candidate n-grams of orders 1..4
 * @param correct candidate n-grams of orders 1..4 found in a reference, each counted at most
 *     as often as it appears in one reference ("clipped")
 */
public record BleuCounts(
    long candidateLength, long referenceLength, List<Long> guess, List<Long> correct) {

  /** @throws IllegalArgumentException if a count is negative or a list is not of length 4 */
  public BleuCounts {
    if (candidateLength < 0 || referenceLength < 0) {
      throw new IllegalArgumentException("lengths must be >= 0, found candidate "
          + candidateLength + ", reference " + referenceLength);
    }
    guess = checked(guess, "guess");
    correct = checked(correct, "correct");
    for (int k = 0; k < BleuScorer.MAX_ORDER; k++) {
      if (correct.get(k) > guess.get(k)) {
        throw new IllegalArgumentException("correct " + (k + 1) + "-grams (" + correct.get(k)
            + ") cannot exceed candidate " + (k + 1) + "-grams (" + guess.get(k) + ")");
      }
    }
  }

  private static List<Long> checked(List<Long> counts, String name) {
    List<Long> copy = List.copyOf(counts);
    if (copy.size() != BleuScorer.MAX_ORDER) {
      throw new IllegalArgumentException(
          name + " needs " + BleuScorer.MAX_ORDER + " counts, found " + copy.size());
    }
    for (long c : copy) {
      if (c < 0) {
        throw new IllegalArgumentException(name + " counts must be >= 0, found " + copy);
      }
    }
    return copy;
  }
}

package dev.pix2seq.eval.caption;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BLEU-1..4 exactly as the COCO caption toolkit's {@code bleu_scorer.py} computes it (called
 * with {@code option='closest'}):
 * <ul>
 *   <li>per image: candidate length {@code c}, effective reference length {@code r} = the
 *       reference length closest to {@code c} (the shorter on a tie), candidate n-gram counts
 *       {@code guess_n = max(0, c - n + 1)} and clipped matches {@code correct_n} (each
 *       candidate n-gram counted at most as often as it occurs in any single reference);</li>
 *   <li>{@code BLEU-n = (prod_{k<=n} (correct_k + 1e-15) / (guess_k + 1e-9))^(1/n)}, times
 *       {@code exp(1 - 1/ratio)} when {@code ratio = (c + 1e-15) / (r + 1e-9) < 1}; the tiny
 *       constants are the toolkit's: they pull both the precisions and the ratio just below 1,
 *       so a candidate identical to a 9-token reference scores 0.99999999977..., not 1 (a
 *       brevity penalty applies even at equal lengths), and an empty candidate exactly 0;</li>
 *   <li>corpus BLEU applies the same formula to the counts summed over all images (not the
 *       mean of per-image scores).</li>
 * </ul>
 * The powers and the exponential use {@link Math}, which reproduced every toolkit value of the
 * reference case bit for bit ({@link StrictMath} differs in the last bit on a few). Stateless
 * and thread safe.
 */
public final class BleuScorer {
  /** The highest n-gram order. */
  public static final int MAX_ORDER = NGramCounts.MAX_ORDER;
  /** Added to each denominator ({@code small} in the toolkit). */
  static final double SMALL = 1e-9;
  /** Added to each numerator ({@code tiny} in the toolkit). */
  static final double TINY = 1e-15;

  /** Creates the scorer (it has no state). */
  public BleuScorer() {}

  /**
   * Scores the samples, in the order given.
   *
   * @throws IllegalArgumentException if there are no samples or an image id repeats
   */
  public BleuResult score(List<CaptionSample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one image, found none");
    }
    Set<Long> seen = new HashSet<>();
    long totalCandidate = 0;
    long totalReference = 0;
    long[] totalGuess = new long[MAX_ORDER];
    long[] totalCorrect = new long[MAX_ORDER];
    Map<Long, BleuScore> perImage = new LinkedHashMap<>();
    Map<Long, BleuCounts> perImageCounts = new LinkedHashMap<>();
    for (CaptionSample sample : samples) {
      if (!seen.add(sample.imageId())) {
        throw new IllegalArgumentException("image " + sample.imageId() + " appears twice");
      }
      int candidateLength = sample.candidate().size();
      int referenceLength = closestReferenceLength(sample.references(), candidateLength);
      long[] guess = new long[MAX_ORDER];
      long[] correct = new long[MAX_ORDER];
      countMatches(sample, guess, correct);
      totalCandidate += candidateLength;
      totalReference += referenceLength;
      for (int k = 0; k < MAX_ORDER; k++) {
        totalGuess[k] += guess[k];
        totalCorrect[k] += correct[k];
      }
      perImage.put(sample.imageId(), bleu(candidateLength, referenceLength, guess, correct));
      perImageCounts.put(sample.imageId(),
          counts(candidateLength, referenceLength, guess, correct));
    }
    BleuScore corpus = bleu(totalCandidate, totalReference, totalGuess, totalCorrect);
    BleuCounts totals = counts(totalCandidate, totalReference, totalGuess, totalCorrect);
    return new BleuResult(corpus, totals, perImage, perImageCounts);
  }

  private static BleuCounts counts(long candidateLength, long referenceLength, long[] guess,
      long[] correct) {
    return new BleuCounts(candidateLength, referenceLength,
        List.of(guess[0], guess[1], guess[2], guess[3]),
        List.of(correct[0], correct[1], correct[2], correct[3]));
  }

  /** The reference length closest to the candidate's; the shorter one on a tie. */
  static int closestReferenceLength(List<List<String>> references, int candidateLength) {
    int best = -1;
    for (List<String> ref : references) {
      int length = ref.size();
      if (best < 0) {
        best = length;
        continue;
      }
      int d = Math.abs(length - candidateLength);
      int bestD = Math.abs(best - candidateLength);
      if (d < bestD || (d == bestD && length < best)) {
        best = length;
      }
    }
    return best;
  }

  private static void countMatches(CaptionSample sample, long[] guess, long[] correct) {
    Map<String, Integer> maxRefCounts = new HashMap<>();
    for (List<String> ref : sample.references()) {
      NGramCounts counts = NGramCounts.of(ref);
      for (int n = 1; n <= MAX_ORDER; n++) {
        counts.order(n).forEach((gram, c) -> maxRefCounts.merge(gram, c, Math::max));
      }
    }
    NGramCounts candidate = NGramCounts.of(sample.candidate());
    for (int n = 1; n <= MAX_ORDER; n++) {
      guess[n - 1] = Math.max(0, candidate.length() - n + 1);
      long matches = 0;
      for (Map.Entry<String, Integer> e : candidate.order(n).entrySet()) {
        matches += Math.min(maxRefCounts.getOrDefault(e.getKey(), 0), e.getValue());
      }
      correct[n - 1] = matches;
    }
  }

  /** The toolkit's formula, for one image or for the corpus totals. */
  private static BleuScore bleu(long candidateLength, long referenceLength, long[] guess,
      long[] correct) {
    double[] scores = new double[MAX_ORDER];
    double product = 1.0;
    for (int k = 0; k < MAX_ORDER; k++) {
      product *= ((double) correct[k] + TINY) / ((double) guess[k] + SMALL);
      scores[k] = Math.pow(product, 1.0 / (k + 1));
    }
    double ratio = ((double) candidateLength + TINY) / ((double) referenceLength + SMALL);
    if (ratio < 1) {
      double penalty = Math.exp(1 - 1 / ratio);
      for (int k = 0; k < MAX_ORDER; k++) {
        scores[k] *= penalty;
      }
    }
    return new BleuScore(scores[0], scores[1], scores[2], scores[3]);
  }

  @Override
  public String toString() {
    return "BleuScorer[closest reference length, orders 1.." + MAX_ORDER + "]";
  }
}

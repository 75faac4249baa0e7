package dev.pix2seq.api.generation;

import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import java.util.Arrays;

/**
 * One row of model logits restricted to the tokens a constraint allows, in ascending token
 * order, made safe to sample from: NaN counts as negative infinity; if some legal logits are
 * positive infinity, the mass is shared equally among exactly those; if no legal logit is
 * finite, among all legal tokens (uniform). At least one value is therefore finite.
 */
final class LegalLogits {
  private final int[] tokens;
  private final float[] values;
  private final double logNormaliser;

  private LegalLogits(int[] tokens, float[] values) {
    this.tokens = tokens;
    this.values = values;
    this.logNormaliser = LogitMath.logSumExp(values);
  }

  /**
   * The logits of {@code row} at the tokens of {@code allowed} below {@code row.length}, or
   * {@code null} when no allowed token is inside the row.
   */
  static LegalLogits of(float[] row, TokenSet allowed) {
    int count = 0;
    for (TokenRange r : allowed.ranges()) {
      count += Math.max(0, Math.min(r.end(), row.length) - r.start());
    }
    if (count == 0) {
      return null;
    }
    int[] tokens = new int[count];
    float[] values = new float[count];
    boolean anyFinite = false;
    boolean anyPositiveInfinity = false;
    int i = 0;
    for (TokenRange r : allowed.ranges()) {
      int end = Math.min(r.end(), row.length);
      for (int t = r.start(); t < end; t++, i++) {
        float v = row[t];
        if (Float.isNaN(v)) {
          v = Float.NEGATIVE_INFINITY;
        }
        anyFinite |= Float.isFinite(v);
        anyPositiveInfinity |= v == Float.POSITIVE_INFINITY;
        tokens[i] = t;
        values[i] = v;
      }
    }
    if (anyPositiveInfinity) {
      for (int j = 0; j < count; j++) {
        values[j] = values[j] == Float.POSITIVE_INFINITY ? 0 : Float.NEGATIVE_INFINITY;
      }
    } else if (!anyFinite) {
      Arrays.fill(values, 0);
    }
    return new LegalLogits(tokens, values);
  }

  /** Number of legal tokens. */
  int size() {
    return tokens.length;
  }

  /** The legal logits, entry {@code i} for {@link #token(int) token(i)}; do not modify. */
  float[] values() {
    return values;
  }

  /** The token id of entry {@code i}. */
  int token(int i) {
    return tokens[i];
  }

  /**
   * Log probability of entry {@code i} under the softmax (temperature 1) over the legal tokens;
   * never above 0, negative infinity for a token of zero probability.
   */
  double logProb(int i) {
    return Math.min(0, values[i] - logNormaliser);
  }

  /**
   * The entries of the {@code n} largest values with a finite logit, largest first, lower token
   * first on ties (the greedy order). Fewer when fewer tokens have a finite logit.
   */
  int[] best(int n) {
    int[] best = new int[Math.min(n, tokens.length)];
    if (best.length == 0) {
      return best;
    }
    int kept = 0;
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (v == Float.NEGATIVE_INFINITY
          || (kept == best.length && !(v > values[best[kept - 1]]))) {
        continue;
      }
      int at = kept == best.length ? kept - 1 : kept++;
      while (at > 0 && v > values[best[at - 1]]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
    return kept == best.length ? best : Arrays.copyOf(best, kept);
  }
}

package dev.pix2seq.api.generation;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.value.TokenSequence;

/**
 * A partial response: its last token, a link to the shorter hypothesis it extends, the summed
 * log probability and the constraint state after it. Extending is O(1), so beams share their
 * common prefixes.
 */
record Hypothesis(
    Hypothesis parent, int token, float logProb, double score, int length, ConstraintState state) {

  /** The empty response before the first token. */
  static Hypothesis start(ConstraintState state) {
    return new Hypothesis(null, -1, 0, 0, 0, state);
  }

  /** This hypothesis followed by {@code token}, whose log probability is {@code logProb}. */
  Hypothesis extend(int token, double logProb) {
    return new Hypothesis(this, token, (float) logProb, score + logProb, length + 1,
        state.advance(token));
  }

  /** The response tokens and their log probabilities, first token first. */
  TokenSequence toSequence() {
    int[] tokens = new int[length];
    float[] logProbs = new float[length];
    for (Hypothesis h = this; h.length > 0; h = h.parent) {
      tokens[h.length - 1] = h.token;
      logProbs[h.length - 1] = h.logProb;
    }
    return new TokenSequence(tokens, logProbs);
  }
}

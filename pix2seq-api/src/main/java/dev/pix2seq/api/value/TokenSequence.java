package dev.pix2seq.api.value;

import java.util.Arrays;

/**
 * A generated token sequence (the response after the prompt, without the prompt) with the log
 * probability the model gave each token when it was chosen. Equality compares the contents.
 *
 * @param tokens token ids; not copied, treat as read-only
 * @param logProbs natural-log probability per token, same length as {@code tokens}
 */
public record TokenSequence(int[] tokens, float[] logProbs) {

  public TokenSequence {
    if (tokens == null || logProbs == null || tokens.length != logProbs.length) {
      throw new IllegalArgumentException(
          "tokens and logProbs must have the same length, found "
              + (tokens == null ? "null" : tokens.length) + " and "
              + (logProbs == null ? "null" : logProbs.length));
    }
  }

  /** A sequence whose every token had probability 1. */
  public static TokenSequence of(int... tokens) {
    return new TokenSequence(tokens, new float[tokens.length]);
  }

  public int length() {
    return tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenSequence s
        && Arrays.equals(s.tokens, tokens)
        && Arrays.equals(s.logProbs, logProbs);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs);
  }

  @Override
  public String toString() {
    return "TokenSequence" + Arrays.toString(tokens);
  }
}

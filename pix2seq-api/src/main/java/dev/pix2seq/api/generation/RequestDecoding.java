package dev.pix2seq.api.generation;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The progress of one request: how much of its prompt the session has seen, its live
 * hypotheses (one session row each, in row order) and the best finished response so far.
 */
final class RequestDecoding {
  private final int index;
  private final GenerationRequest request;
  private final int maxNewTokens;
  private final RandomGenerator rng;
  private int promptFed;
  private List<Hypothesis> live;
  private Hypothesis result;
  private double resultScore = Double.NEGATIVE_INFINITY;

  RequestDecoding(int index, GenerationRequest request, int maxNewTokens, RandomGenerator rng) {
    this.index = index;
    this.request = request;
    this.maxNewTokens = maxNewTokens;
    this.rng = rng;
    this.live = List.of(Hypothesis.start(request.constraint().start()));
  }

  /** Position of the request in the caller's list. */
  int index() {
    return index;
  }

  /** The response length limit, already clamped to the decoder's maximum sequence length. */
  int maxNewTokens() {
    return maxNewTokens;
  }

  /** This request's own random source, so its draws do not depend on the other rows. */
  RandomGenerator rng() {
    return rng;
  }

  int promptLength() {
    return request.prompt().length;
  }

  /** Whether the session has not yet been fed the whole prompt. */
  boolean inPrompt() {
    return promptFed < request.prompt().length;
  }

  /** The first {@code count} prompt tokens, marked as fed. */
  int[] takePrompt(int count) {
    int[] tokens = Arrays.copyOfRange(request.prompt(), promptFed, promptFed + count);
    promptFed += count;
    return tokens;
  }

  /** The live hypotheses, one session row each, in row order; empty once finished. */
  List<Hypothesis> live() {
    return live;
  }

  void setLive(List<Hypothesis> hypotheses) {
    live = List.copyOf(hypotheses);
  }

  /** Records a finished response; kept if its score beats every earlier one. */
  void offer(Hypothesis finished, double score) {
    if (result == null || score > resultScore) {
      result = finished;
      resultScore = score;
    }
  }

  /** The best finished response, or {@code null} while none finished. */
  Hypothesis result() {
    return result;
  }

  /** The score {@link #offer} recorded for {@link #result()}. */
  double resultScore() {
    return resultScore;
  }

  /**
   * The legal logits of one row for {@code hypothesis}.
   *
   * @throws IllegalStateException if the constraint allows no token of the decoder's vocabulary
   */
  LegalLogits legalLogits(float[] row, Hypothesis hypothesis) {
    LegalLogits legal = LegalLogits.of(row, hypothesis.state().allowed());
    if (legal == null) {
      throw new IllegalStateException(
          "request " + index + ": after " + hypothesis.length() + " response tokens the constraint"
              + " allows only " + hypothesis.state().allowed() + ", none of them inside the"
              + " decoder's vocabulary of " + row.length + " tokens");
    }
    return legal;
  }
}

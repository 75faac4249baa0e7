package dev.pix2seq.api.task;

import java.util.Arrays;

/**
 * One training sequence of a task. The decoder reads {@code prompt} followed by {@code input}
 * and is trained so that, after the prompt and {@code input[0..i-1]}, it predicts
 * {@code target[i]} with loss weight {@code weights[i]}. The prompt is never a target.
 * {@code input} equals {@code target} except where the codec corrupts decoder inputs (noise
 * classes, input dropout); its last token is never read. Equality compares the contents.
 *
 * @param prompt task prompt (task token and condition tokens)
 * @param input decoder input tokens of the response, same length as target
 * @param target target tokens of the response (ends with EOS)
 * @param weights loss weight per target token
 */
public record TrainingSequence(int[] prompt, int[] input, int[] target, float[] weights) {

  public TrainingSequence {
    if (prompt == null || input == null || target == null || weights == null) {
      throw new IllegalArgumentException("training sequence arrays must not be null");
    }
    if (prompt.length == 0) {
      throw new IllegalArgumentException("prompt must hold at least the task token");
    }
    if (input.length != target.length || weights.length != target.length) {
      throw new IllegalArgumentException(
          "input, target and weights must have the same length, found " + input.length + ", "
              + target.length + ", " + weights.length);
    }
  }

  /** A sequence whose decoder input is its target (no corruption). */
  public static TrainingSequence uncorrupted(int[] prompt, int[] target, float[] weights) {
    return new TrainingSequence(prompt, target.clone(), target, weights);
  }

  /** Response length (number of target tokens). */
  public int length() {
    return target.length;
  }

  /** The full decoder input {@code prompt ++ input[0..n-2]}, of length prompt+n-1. */
  public int[] decoderInput() {
    int[] all = new int[prompt.length + Math.max(0, input.length - 1)];
    System.arraycopy(prompt, 0, all, 0, prompt.length);
    System.arraycopy(input, 0, all, prompt.length, Math.max(0, input.length - 1));
    return all;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingSequence s
        && Arrays.equals(s.prompt, prompt)
        && Arrays.equals(s.input, input)
        && Arrays.equals(s.target, target)
        && Arrays.equals(s.weights, weights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(
        new int[] {
          Arrays.hashCode(prompt), Arrays.hashCode(input), Arrays.hashCode(target),
          Arrays.hashCode(weights)
        });
  }

  @Override
  public String toString() {
    return "TrainingSequence[prompt=" + Arrays.toString(prompt) + ", target="
        + Arrays.toString(target) + "]";
  }
}

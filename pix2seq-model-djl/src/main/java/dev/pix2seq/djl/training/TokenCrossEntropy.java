package dev.pix2seq.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The weighted token cross-entropy of one batch: {@code sum(ce * w) / sum(w)} with {@code ce =
 * -log softmax(logits)[target]} at every position.
 */
public final class TokenCrossEntropy {

  private TokenCrossEntropy() {}

  /**
   * The loss as a scalar array (differentiable with respect to {@code logits}).
   *
   * @param manager where the target, weight and scalar arrays are created
   * @param logits {@code [B, T, V]}
   * @param targets {@code [B][T]} token ids in {@code [0, V)}
   * @param weights {@code [B][T]} non-negative weights with a positive sum
   */
  public static NDArray loss(
      NDManager manager, NDArray logits, int[][] targets, float[][] weights) {
    int rows = targets.length;
    int length = targets[0].length;
    long[] ids = new long[rows * length];
    float[] w = new float[rows * length];
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        ids[r * length + t] = targets[r][t];
        w[r * length + t] = weights[r][t];
        sum += weights[r][t];
      }
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("loss weights must have a positive sum, found " + sum);
    }
    Shape perToken = new Shape(rows, length, 1);
    NDArray picked = logits.logSoftmax(-1).gather(manager.create(ids, perToken), 2);
    return picked.mul(manager.create(w, perToken)).sum().neg()
        .div(manager.create((float) sum));
  }
}

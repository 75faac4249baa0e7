package dev.pix2seq.tf.network;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What happens to a residual branch before it is added to the stream: nothing outside training;
 * dropout and drop path in training. The network calls {@link #apply} once per branch, in the
 * order of {@link ResidualSite}.
 */
@FunctionalInterface
public interface ResidualNoise {

  /** No noise: the branch as it is. */
  ResidualNoise NONE = (branch, site) -> branch;

  /**
   * The branch {@code [rows * tokens, width]} (row-major, one row's tokens contiguous) as it
   * should be added.
   */
  Operand<TFloat32> apply(Operand<TFloat32> branch, ResidualSite site);
}

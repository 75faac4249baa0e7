package dev.pix2seq.tf.training;

import dev.pix2seq.tf.network.ResidualNoise;
import dev.pix2seq.tf.network.ResidualSite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Training-time residual noise as fed masks: each branch is multiplied by a dropout mask
 * placeholder {@code [rows * tokens, width]} (when the dropout rate is positive) and then by a
 * drop-path placeholder {@code [rows * tokens, 1]} (when the drop-path rate is positive). The
 * masks are drawn in Java ({@link ResidualMasks}), so a step is reproducible from (seed, step,
 * batch) and independent of TensorFlow's random state. Records the sites in the order the network
 * meets them. Not thread-safe (graph construction).
 */
public final class MaskedResidual implements ResidualNoise {

  private final Ops tf;
  private final boolean dropout;
  private final boolean dropPath;
  private final List<ResidualSite> sites = new ArrayList<>();
  private final List<Placeholder<TFloat32>> dropoutMasks = new ArrayList<>();
  private final List<Placeholder<TFloat32>> pathMasks = new ArrayList<>();

  /** Masks for the rates that are positive; none when both are 0. */
  public MaskedResidual(Ops tf, double dropoutRate, double dropPathRate) {
    this.tf = tf;
    this.dropout = dropoutRate > 0;
    this.dropPath = dropPathRate > 0;
  }

  @Override
  public Operand<TFloat32> apply(Operand<TFloat32> branch, ResidualSite site) {
    int index = sites.size();
    sites.add(site);
    Operand<TFloat32> out = branch;
    if (dropout) {
      Placeholder<TFloat32> mask = tf.withName("dropout_mask_" + index).placeholder(
          TFloat32.class, Placeholder.shape(Shape.of(-1, site.width())));
      dropoutMasks.add(mask);
      out = tf.math.mul(out, mask);
    }
    if (dropPath) {
      Placeholder<TFloat32> mask = tf.withName("drop_path_mask_" + index).placeholder(
          TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      pathMasks.add(mask);
      out = tf.math.mul(out, mask);
    }
    return out;
  }

  /** The residual sites met so far, in order. */
  public List<ResidualSite> sites() {
    return Collections.unmodifiableList(sites);
  }

  /** The dropout mask of each site (empty when dropout is off). */
  public List<Placeholder<TFloat32>> dropoutMasks() {
    return Collections.unmodifiableList(dropoutMasks);
  }

  /** The drop-path mask of each site (empty when drop path is off). */
  public List<Placeholder<TFloat32>> pathMasks() {
    return Collections.unmodifiableList(pathMasks);
  }
}

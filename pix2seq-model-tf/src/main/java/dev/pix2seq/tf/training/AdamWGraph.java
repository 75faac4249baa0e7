package dev.pix2seq.tf.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * AdamW as graph operations: the update of PyTorch's {@code torch.optim.AdamW} in float32, with
 * the same operation order as the DJL backend ({@code docs/checkpoint-format.md} section 7). At
 * step {@code t}, with gradient {@code g} already scaled by the clipping factor:
 *
 * <pre>
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p * (1 - lr * weightDecay)                        (decayed parameters only)
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * The betas and the step-dependent factors are fed per run, computed in double precision in Java
 * and rounded to float ({@link #feeds}), so one graph serves every configuration, step, rate and
 * weight decay (a decay factor of exactly 1 leaves weights unchanged).
 * Updates are guarded: when {@code apply} is false every variable keeps its value.
 */
public final class AdamWGraph {

  /** The epsilon added to the denominator. */
  public static final float EPSILON = 1e-8f;

  /** One parameter with its moments: current values, variable handles and gradient. */
  public record Slot(
      Operand<TFloat32> parameter, Operand<?> parameterHandle, Operand<TFloat32> firstMoment,
      Operand<?> firstMomentHandle, Operand<TFloat32> secondMoment,
      Operand<?> secondMomentHandle, Operand<TFloat32> gradient, boolean decayed) {}

  private final Placeholder<TFloat32> beta1;
  private final Placeholder<TFloat32> oneMinusBeta1;
  private final Placeholder<TFloat32> beta2;
  private final Placeholder<TFloat32> oneMinusBeta2;
  private final Placeholder<TFloat32> stepSize;
  private final Placeholder<TFloat32> sqrtCorrection2;
  private final Placeholder<TFloat32> decay;

  /** Every assignment of the update; run them as targets. */
  public final List<Op> assignments;

  /**
   * Adds the update of every slot.
   *
   * @param gradientScale the clipping factor multiplied into every gradient (a scalar)
   * @param apply whether to write the new values (a scalar; false keeps every variable)
   */
  public AdamWGraph(
      Ops tf, List<Slot> slots, Operand<TFloat32> gradientScale, Operand<TBool> apply) {
    beta1 = scalar(tf, "beta1");
    oneMinusBeta1 = scalar(tf, "one_minus_beta1");
    beta2 = scalar(tf, "beta2");
    oneMinusBeta2 = scalar(tf, "one_minus_beta2");
    stepSize = scalar(tf, "step_size");
    sqrtCorrection2 = scalar(tf, "sqrt_correction2");
    decay = scalar(tf, "decay");
    Operand<TFloat32> b1 = beta1;
    Operand<TFloat32> oneMinusB1 = oneMinusBeta1;
    Operand<TFloat32> b2 = beta2;
    Operand<TFloat32> oneMinusB2 = oneMinusBeta2;
    Operand<TFloat32> eps = tf.constant(EPSILON);
    List<Op> assigns = new ArrayList<>();
    for (Slot s : slots) {
      Operand<TFloat32> g = tf.math.mul(s.gradient(), gradientScale);
      Operand<TFloat32> m = tf.math.add(tf.math.mul(s.firstMoment(), b1),
          tf.math.mul(g, oneMinusB1));
      Operand<TFloat32> v = tf.math.add(tf.math.mul(s.secondMoment(), b2),
          tf.math.mul(tf.math.square(g), oneMinusB2));
      Operand<TFloat32> denominator =
          tf.math.add(tf.math.div(tf.math.sqrt(v), sqrtCorrection2), eps);
      Operand<TFloat32> p = s.decayed() ? tf.math.mul(s.parameter(), decay) : s.parameter();
      p = tf.math.sub(p, tf.math.mul(tf.math.div(m, denominator), stepSize));
      assigns.add(tf.assignVariableOp(s.firstMomentHandle(),
          tf.select(apply, m, s.firstMoment())));
      assigns.add(tf.assignVariableOp(s.secondMomentHandle(),
          tf.select(apply, v, s.secondMoment())));
      assigns.add(tf.assignVariableOp(s.parameterHandle(), tf.select(apply, p, s.parameter())));
    }
    this.assignments = List.copyOf(assigns);
  }

  /**
   * The scalar feeds of update number {@code step} (1-based) as placeholder and value pairs, in
   * the DJL backend's float rounding.
   */
  public Map<Placeholder<TFloat32>, Float> feeds(
      double b1, double b2, double weightDecay, double learningRate, long step) {
    double correction1 = 1 - Math.pow(b1, step);
    double correction2 = 1 - Math.pow(b2, step);
    Map<Placeholder<TFloat32>, Float> out = new LinkedHashMap<>();
    out.put(beta1, (float) b1);
    out.put(oneMinusBeta1, (float) (1 - b1));
    out.put(beta2, (float) b2);
    out.put(oneMinusBeta2, (float) (1 - b2));
    out.put(stepSize, (float) (learningRate / correction1));
    out.put(sqrtCorrection2, (float) Math.sqrt(correction2));
    out.put(decay, (float) (1 - learningRate * weightDecay));
    return out;
  }

  private static Placeholder<TFloat32> scalar(Ops tf, String name) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }
}

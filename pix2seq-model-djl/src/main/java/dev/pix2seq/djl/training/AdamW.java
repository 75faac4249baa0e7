package dev.pix2seq.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW over NDArrays, the update of PyTorch's {@code torch.optim.AdamW} in float32: at step
 * {@code t} (1-based), with gradient {@code g},
 *
 * <pre>
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p * (1 - lr * weightDecay)                       (decayed parameters only)
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Moments start at zero and live in the optimiser's own manager. Call {@link #update} with
 * autograd recording off.
 */
public final class AdamW {

  /** The epsilon added to the denominator. */
  public static final float EPSILON = 1e-8f;

  private final double beta1;
  private final double beta2;
  private final double weightDecay;
  private final Set<String> decayed;
  private final NDManager manager;
  private final Map<String, NDArray> first = new LinkedHashMap<>();
  private final Map<String, NDArray> second = new LinkedHashMap<>();

  /**
   * An optimiser for {@code parameters} (by name) whose moments are created in {@code manager}.
   *
   * @param decayed names of the parameters weight decay applies to
   */
  public AdamW(
      Map<String, NDArray> parameters, Set<String> decayed, double beta1, double beta2,
      double weightDecay, NDManager manager) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.weightDecay = weightDecay;
    this.decayed = Set.copyOf(decayed);
    this.manager = manager;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      Shape shape = e.getValue().getShape();
      first.put(e.getKey(), manager.zeros(shape));
      second.put(e.getKey(), manager.zeros(shape));
    }
  }

  /**
   * Updates every parameter in place with its gradient times {@code gradientScale}.
   *
   * @param step the 1-based number of this update (for the bias corrections)
   * @param temp where this update's scalars are created (closed by the caller)
   */
  public void update(
      Map<String, NDArray> parameters, Map<String, NDArray> gradients, long step,
      double learningRate, double gradientScale, NDManager temp) {
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    NDArray b1 = temp.create((float) beta1);
    NDArray oneMinusB1 = temp.create((float) (1 - beta1));
    NDArray b2 = temp.create((float) beta2);
    NDArray oneMinusB2 = temp.create((float) (1 - beta2));
    NDArray sqrtCorrection2 = temp.create((float) Math.sqrt(correction2));
    NDArray eps = temp.create(EPSILON);
    NDArray decay = temp.create((float) (1 - learningRate * weightDecay));
    NDArray stepSize = temp.create((float) (learningRate / correction1));
    NDArray scale = temp.create((float) gradientScale);
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = gradients.get(name);
      if (gradientScale != 1.0) {
        g = g.mul(scale);
      }
      NDArray m = first.get(name);
      NDArray v = second.get(name);
      m.muli(b1).addi(g.mul(oneMinusB1));
      v.muli(b2).addi(g.square().muli(oneMinusB2));
      NDArray denominator = v.sqrt().divi(sqrtCorrection2).addi(eps);
      if (weightDecay > 0 && decayed.contains(name)) {
        p.muli(decay);
      }
      p.subi(m.div(denominator).muli(stepSize));
    }
  }

  /** The first moment of {@code name}. */
  public NDArray firstMoment(String name) {
    return first.get(name);
  }

  /** The second moment of {@code name}. */
  public NDArray secondMoment(String name) {
    return second.get(name);
  }

  /** Replaces both moments of {@code name} with the given values (row-major). */
  public void restore(String name, float[] firstValues, float[] secondValues) {
    replace(first, name, firstValues);
    replace(second, name, secondValues);
  }

  private void replace(Map<String, NDArray> moments, String name, float[] values) {
    NDArray old = moments.get(name);
    moments.put(name, manager.create(values, old.getShape()));
    old.close();
  }
}

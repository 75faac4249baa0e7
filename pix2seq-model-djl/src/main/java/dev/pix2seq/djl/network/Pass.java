package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One forward pass: the manager its temporary arrays come from, and in training the dropout and
 * drop-path rates with their random stream. Masks are drawn in Java from a {@link
 * SplittableRandom} seeded from (seed, step, batch), in the fixed order of the forward pass, so
 * a pass is reproducible (exact resume) and independent of PyTorch's global generator.
 */
public final class Pass {

  private final NDManager manager;
  private final double dropout;
  private final double dropPath;
  private final SplittableRandom random;

  private Pass(NDManager manager, double dropout, double dropPath, SplittableRandom random) {
    this.manager = manager;
    this.dropout = dropout;
    this.dropPath = dropPath;
    this.random = random;
  }

  /** A pass without dropout. */
  public static Pass inference(NDManager manager) {
    return new Pass(manager, 0, 0, null);
  }

  /** A training pass with the given rates, its masks drawn from (seed, step, batch). */
  public static Pass training(
      NDManager manager, double dropout, double dropPath, long seed, long step, int batch) {
    long s = seed;
    s = mix(s ^ mix(step + 0x632BE59BD9B4E019L));
    s = mix(s ^ mix(batch + 0x9E3779B97F4A7C15L));
    return new Pass(manager, dropout, dropPath, new SplittableRandom(s));
  }

  public NDManager manager() {
    return manager;
  }

  /**
   * Whether this pass only infers: no graph is kept for gradients, so a block's temporary arrays
   * may be freed as soon as the block's output exists.
   */
  public boolean isInference() {
    return random == null;
  }

  /** A float32 scalar array in this pass's manager (safe inside graphs that need gradients). */
  public NDArray scalar(float value) {
    return manager.create(value);
  }

  /**
   * A residual branch after dropout (each value zeroed with the dropout rate, the rest scaled by
   * {@code 1/(1-rate)}) and drop path (the whole branch of a row zeroed with the drop-path rate,
   * kept rows scaled by {@code 1/(1-rate)}); the identity outside training.
   */
  public NDArray residual(NDArray branch) {
    NDArray out = branch;
    if (dropout > 0) {
      out = out.mul(mask(out.getShape(), dropout));
    }
    if (dropPath > 0) {
      Shape s = out.getShape();
      long[] rowShape = new long[s.dimension()];
      Arrays.fill(rowShape, 1);
      rowShape[0] = s.get(0);
      out = out.mul(mask(new Shape(rowShape), dropPath));
    }
    return out;
  }

  private NDArray mask(Shape shape, double rate) {
    float keep = (float) (1 / (1 - rate));
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() < rate ? 0f : keep;
    }
    return manager.create(values, shape);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

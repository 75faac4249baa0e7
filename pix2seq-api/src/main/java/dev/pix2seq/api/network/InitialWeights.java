package dev.pix2seq.api.network;

import dev.pix2seq.api.checkpoint.NamedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The weights of a fresh network ({@code docs/checkpoint-format.md} section 3), for every
 * backend: each parameter has its own {@link Random}, seeded from the model seed and the
 * parameter's name, so adding a parameter leaves the others' values unchanged, and a seed gives
 * the same initial weights on every backend.
 */
public final class InitialWeights {

  private InitialWeights() {}

  /** Every parameter of {@code layout}, in checkpoint order, drawn from {@code seed}. */
  public static List<NamedTensor> draw(ParameterLayout layout, long seed) {
    List<NamedTensor> out = new ArrayList<>();
    for (ParameterSpec spec : layout.specs()) {
      float[] values = new float[spec.size()];
      switch (spec.initialiser()) {
        case ONES -> Arrays.fill(values, 1f);
        case ZEROS -> { }
        case NORMAL_002 -> truncatedNormal(values, 0.02, generator(seed, spec.name()));
        case FAN_IN_NORMAL ->
            truncatedNormal(values, 1.0 / Math.sqrt(spec.fanIn()), generator(seed, spec.name()));
      }
      out.add(new NamedTensor(spec.name(), spec.shape(), values));
    }
    return out;
  }

  private static Random generator(long seed, String name) {
    long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return new Random(h);
  }

  private static void truncatedNormal(float[] values, double std, Random random) {
    for (int i = 0; i < values.length; i++) {
      double z;
      do {
        z = random.nextGaussian();
      } while (Math.abs(z) > 2);
      values[i] = (float) (z * std);
    }
  }
}

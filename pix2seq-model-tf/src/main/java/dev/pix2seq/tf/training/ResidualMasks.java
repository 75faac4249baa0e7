package dev.pix2seq.tf.training;

import dev.pix2seq.tf.network.ResidualSite;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The dropout and drop-path masks of one training step, drawn in Java. Batch {@code k} of step
 * {@code s} draws from a {@link SplittableRandom} seeded from (seed, s, k), site by site in
 * forward order, for each site first the dropout mask ({@code rows x tokens x width} values,
 * row-major) and then the drop-path mask ({@code rows} values): value 0 with the rate's
 * probability, else {@code 1 / (1 - rate)}. This is the DJL backend's draw, so both backends
 * train with the same masks. The masks of a step's batches are laid out as the concatenated
 * batch the training graph sees: rows of batch 0 first, text positions padded to the longest
 * batch (padding positions get 1; they weigh nothing in the loss).
 *
 * @param dropout per site, the dropout mask {@code [rows * tokens, width]}, or null
 * @param path per site, the drop-path mask {@code [rows * tokens, 1]}, or null
 */
public record ResidualMasks(float[][] dropout, float[][] path) {

  /**
   * The shape of one batch of a step.
   *
   * @param rows examples in the batch
   * @param length text positions per row
   */
  public record BatchShape(int rows, int length) {}

  /**
   * Draws the masks of step {@code step} (0-based) for {@code batches}.
   *
   * @param sites the network's residual sites in forward order
   * @param imageTokens tokens per image (the length of image sites)
   * @param maxLength the padded text length of the concatenated batch
   */
  public static ResidualMasks draw(
      List<ResidualSite> sites, double dropoutRate, double dropPathRate, int imageTokens,
      List<BatchShape> batches, int maxLength, long seed, long step) {
    int totalRows = 0;
    for (BatchShape b : batches) {
      totalRows += b.rows();
    }
    float[][] dropout = dropoutRate > 0 ? new float[sites.size()][] : null;
    float[][] path = dropPathRate > 0 ? new float[sites.size()][] : null;
    for (int s = 0; s < sites.size(); s++) {
      ResidualSite site = sites.get(s);
      int tokens = site.overImage() ? imageTokens : maxLength;
      if (dropout != null) {
        dropout[s] = new float[totalRows * tokens * site.width()];
        Arrays.fill(dropout[s], 1f);
      }
      if (path != null) {
        path[s] = new float[totalRows * tokens];
        Arrays.fill(path[s], 1f);
      }
    }
    int rowOffset = 0;
    for (int k = 0; k < batches.size(); k++) {
      BatchShape batch = batches.get(k);
      SplittableRandom random = random(seed, step, k);
      for (int s = 0; s < sites.size(); s++) {
        ResidualSite site = sites.get(s);
        int padded = site.overImage() ? imageTokens : maxLength;
        int tokens = site.overImage() ? imageTokens : batch.length();
        int width = site.width();
        if (dropout != null) {
          float keep = (float) (1 / (1 - dropoutRate));
          float[] mask = dropout[s];
          for (int r = 0; r < batch.rows(); r++) {
            int base = (rowOffset + r) * padded * width;
            for (int i = 0; i < tokens * width; i++) {
              mask[base + i] = random.nextDouble() < dropoutRate ? 0f : keep;
            }
          }
        }
        if (path != null) {
          float keep = (float) (1 / (1 - dropPathRate));
          float[] mask = path[s];
          for (int r = 0; r < batch.rows(); r++) {
            float value = random.nextDouble() < dropPathRate ? 0f : keep;
            int base = (rowOffset + r) * padded;
            Arrays.fill(mask, base, base + tokens, value);
          }
        }
      }
      rowOffset += batch.rows();
    }
    return new ResidualMasks(dropout, path);
  }

  /** The generator of batch {@code batch} of step {@code step}. */
  static SplittableRandom random(long seed, long step, int batch) {
    long s = seed;
    s = mix(s ^ mix(step + 0x632BE59BD9B4E019L));
    s = mix(s ^ mix(batch + 0x9E3779B97F4A7C15L));
    return new SplittableRandom(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

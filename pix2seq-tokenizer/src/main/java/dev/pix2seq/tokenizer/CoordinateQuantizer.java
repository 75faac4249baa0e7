package dev.pix2seq.tokenizer;

/**
 * Maps a normalised coordinate {@code v} in [0, 1] to one of {@code bins} bins and back:
 * {@code q = clip(round(v * (bins - 1)), 0, bins - 1)}, {@code v = q / (bins - 1)}. The
 * round-trip error is at most half a bin, {@code 0.5 / (bins - 1)}.
 *
 * @param bins number of bins, >= 2
 */
public record CoordinateQuantizer(int bins) {

  public CoordinateQuantizer {
    if (bins < 2) {
      throw new IllegalArgumentException("coordinate bins must be >= 2, found " + bins);
    }
  }

  /** The bin of {@code v}; values outside [0, 1] are clipped, NaN maps to bin 0. */
  public int quantize(double v) {
    if (Double.isNaN(v)) {
      return 0;
    }
    long q = Math.round(v * (bins - 1));
    return (int) Math.max(0, Math.min(bins - 1, q));
  }

  /** The coordinate of bin {@code q}. */
  public double dequantize(int q) {
    if (q < 0 || q >= bins) {
      throw new IllegalArgumentException("bin must be in [0, " + bins + "), found " + q);
    }
    return (double) q / (bins - 1);
  }

  /** The width of one bin in normalised units, {@code 1 / (bins - 1)}. */
  public double binWidth() {
    return 1.0 / (bins - 1);
  }
}

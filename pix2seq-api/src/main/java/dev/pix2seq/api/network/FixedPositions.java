package dev.pix2seq.api.network;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;

/**
 * The fixed (not learned) position tables of a network, chosen by its {@link NetworkVariant}, so
 * that every backend adds the same numbers.
 */
public final class FixedPositions {

  private FixedPositions() {}

  /**
   * The table added to the encoder's patch tokens after their norm: row-major {@code [N,
   * encoderWidth]}.
   */
  public static float[] encoder(ModelConfig config) {
    int side = config.imageSize() / config.patchSize();
    return config.network() == NetworkVariant.OFFICIAL
        ? SinCosPositions.official(side, config.encoderWidth())
        : SinCosPositions.table(side, config.encoderWidth());
  }

  /**
   * The table added to the memory after the bridge's norm: row-major {@code [N, decoderWidth]}.
   */
  public static float[] memory(ModelConfig config) {
    int side = config.imageSize() / config.patchSize();
    return config.network() == NetworkVariant.OFFICIAL
        ? SinCosPositions.official(side, config.decoderWidth())
        : CoordinateCode.grid(side, config.decoderWidth());
  }
}

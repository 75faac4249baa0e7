package dev.pix2seq.api.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which network math a {@link ModelConfig} describes. Both variants have the same parameters
 * ({@code docs/checkpoint-format.md} section 3); they differ in fixed position tables and in the
 * encoder's token centring ({@code dev.pix2seq.api.network.FixedPositions} picks the tables).
 *
 * <ul>
 *   <li>{@link #PIX2SEQ_JAVA} ({@code "pix2seq-java"}, the default): the network this project
 *       trains: tokens centred per image at the encoder's input, after every encoder layer and on
 *       the memory; grid-step sin-cos positions on the encoder ({@code SinCosPositions.table});
 *       the coordinate code on the memory ({@code CoordinateCode.grid}).
 *   <li>{@link #OFFICIAL} ({@code "official"}): the official Pix2seq {@code encoder_ar_decoder}
 *       network, so that the authors' released checkpoints run unchanged: no centring, and the
 *       official 2D sin-cos table ({@code SinCosPositions.official}) on both the encoder tokens
 *       and the memory.
 * </ul>
 */
public enum NetworkVariant {
  PIX2SEQ_JAVA("pix2seq-java"),
  OFFICIAL("official");

  private final String configName;

  NetworkVariant(String configName) {
    this.configName = configName;
  }

  @JsonValue
  public String configName() {
    return configName;
  }

  /**
   * The variant of a config name.
   *
   * @throws IllegalArgumentException naming the known variants if {@code name} is unknown
   */
  @JsonCreator
  public static NetworkVariant ofConfigName(String name) {
    for (NetworkVariant v : values()) {
      if (v.configName.equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown network variant '" + name + "'; expected one of "
        + Arrays.stream(values()).map(NetworkVariant::configName).collect(Collectors.joining(", ")));
  }

  /** Whether the encoder subtracts each image's token mean (input, every layer, memory). */
  public boolean centresTokens() {
    return this == PIX2SEQ_JAVA;
  }
}

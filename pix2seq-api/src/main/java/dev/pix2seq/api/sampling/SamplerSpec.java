package dev.pix2seq.api.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A sampler as configuration: {@code {"type": "top-p", "p": 0.4, "temperature": 1.0}}.
 * Beam search is a search over whole sequences, so it is run by the generator rather than by a
 * {@link Sampler}; {@link #create()} rejects it.
 *
 * @param type the kind of sampler
 * @param temperature softmax temperature (> 0) for temperature, top-k and top-p
 * @param k candidates kept by top-k (0 for all)
 * @param p probability mass kept by top-p (official-top-p: not exceeded), in (0, 1]
 * @param beamSize beams kept by beam search (>= 1)
 */
public record SamplerSpec(Type type, double temperature, int k, double p, int beamSize) {

  /** Sampler kinds, written in configs in lower case with dashes ({@code top-p}). */
  public enum Type {
    GREEDY,
    TEMPERATURE,
    TOP_K,
    TOP_P,
    /** Nucleus sampling by the official Pix2seq rule ({@link OfficialTopPSampler}). */
    OFFICIAL_TOP_P,
    BEAM;

    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type for a config name such as {@code top-p}. */
    @JsonCreator
    public static Type ofConfigName(String name) {
      for (Type t : values()) {
        if (t.configName().equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "unknown sampler type '" + name + "'; expected one of greedy, temperature, top-k, top-p,"
              + " official-top-p, beam");
    }
  }

  public SamplerSpec {
    if (type == null) {
      throw new IllegalArgumentException("sampler type must be given");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("sampler temperature must be > 0, found " + temperature);
    }
    if (k < 0) {
      throw new IllegalArgumentException("sampler k must be >= 0, found " + k);
    }
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("sampler p must be in (0, 1], found " + p);
    }
    if (beamSize < 1) {
      throw new IllegalArgumentException("sampler beamSize must be >= 1, found " + beamSize);
    }
  }

  /** Reads a spec from config, filling absent fields with neutral defaults. */
  @JsonCreator
  static SamplerSpec fromConfig(
      @JsonProperty("type") Type type,
      @JsonProperty("temperature") Double temperature,
      @JsonProperty("k") Integer k,
      @JsonProperty("p") Double p,
      @JsonProperty("beamSize") Integer beamSize) {
    return new SamplerSpec(
        type,
        temperature == null ? 1 : temperature,
        k == null ? 0 : k,
        p == null ? 1 : p,
        beamSize == null ? 1 : beamSize);
  }

  public static SamplerSpec greedy() {
    return new SamplerSpec(Type.GREEDY, 1, 0, 1, 1);
  }

  public static SamplerSpec topP(double p) {
    return new SamplerSpec(Type.TOP_P, 1, 0, p, 1);
  }

  public static SamplerSpec topK(int k) {
    return new SamplerSpec(Type.TOP_K, 1, k, 1, 1);
  }

  public static SamplerSpec temperature(double temperature) {
    return new SamplerSpec(Type.TEMPERATURE, temperature, 0, 1, 1);
  }

  public static SamplerSpec beam(int beamSize) {
    return new SamplerSpec(Type.BEAM, 1, 0, 1, beamSize);
  }

  /**
   * The per-token sampler of this spec.
   *
   * @throws UnsupportedOperationException for beam search, which the generator runs itself
   */
  public Sampler create() {
    return switch (type) {
      case GREEDY -> new GreedySampler();
      case TEMPERATURE -> new TopKSampler(0, temperature);
      case TOP_K -> new TopKSampler(k, temperature);
      case TOP_P -> new TopPSampler(p, temperature);
      case OFFICIAL_TOP_P -> new OfficialTopPSampler(p, temperature);
      case BEAM -> throw new UnsupportedOperationException(
          "beam search is not a per-token sampler; the sequence generator runs it");
    };
  }
}

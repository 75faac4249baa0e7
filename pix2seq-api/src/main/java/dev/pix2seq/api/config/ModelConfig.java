package dev.pix2seq.api.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The network architecture. Start from a named preset ({@link #preset(String)}) and override
 * fields in JSON: {@code {"preset": "tiny", "decoderLayers": 3}}.
 *
 * @param version config format version ({@link #CURRENT_VERSION})
 * @param preset name of the preset this config started from (informational)
 * @param imageSize side of the square model input in pixels
 * @param patchSize ViT patch side in pixels; divides imageSize
 * @param convStem whether a small convolutional stem replaces the single patch convolution
 * @param encoderLayers ViT blocks
 * @param encoderWidth ViT hidden size
 * @param encoderHeads ViT attention heads; divides encoderWidth
 * @param encoderMlp ViT MLP hidden size
 * @param decoderLayers decoder blocks
 * @param decoderWidth decoder hidden size
 * @param decoderHeads decoder attention heads; divides decoderWidth
 * @param decoderMlp decoder MLP hidden size
 * @param maxSequenceLength longest prompt plus response (learned positions)
 * @param dropout dropout rate in [0, 1)
 * @param dropPath stochastic depth rate in [0, 1)
 * @param layerNormEpsilon epsilon of every LayerNorm
 * @param network which network math: {@link NetworkVariant#PIX2SEQ_JAVA} (the default) or {@link
 *     NetworkVariant#OFFICIAL} (the official Pix2seq network, for imported checkpoints)
 */
public record ModelConfig(
    int version,
    String preset,
    int imageSize,
    int patchSize,
    boolean convStem,
    int encoderLayers,
    int encoderWidth,
    int encoderHeads,
    int encoderMlp,
    int decoderLayers,
    int decoderWidth,
    int decoderHeads,
    int decoderMlp,
    int maxSequenceLength,
    double dropout,
    double dropPath,
    double layerNormEpsilon,
    NetworkVariant network) {

  /** The config format this code reads and writes. */
  public static final int CURRENT_VERSION = 1;

  private static final Map<String, ModelConfig> PRESETS = presets();

  public ModelConfig {
    ConfigChecks.version("ModelConfig", version, CURRENT_VERSION);
    ConfigChecks.positive("imageSize", imageSize);
    ConfigChecks.positive("patchSize", patchSize);
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "patchSize must divide imageSize, found imageSize=" + imageSize + " patchSize="
              + patchSize);
    }
    ConfigChecks.positive("encoderLayers", encoderLayers);
    ConfigChecks.positive("decoderLayers", decoderLayers);
    ConfigChecks.divides("encoderHeads", encoderHeads, "encoderWidth", encoderWidth);
    ConfigChecks.divides("decoderHeads", decoderHeads, "decoderWidth", decoderWidth);
    ConfigChecks.positive("encoderMlp", encoderMlp);
    ConfigChecks.positive("decoderMlp", decoderMlp);
    ConfigChecks.positive("maxSequenceLength", maxSequenceLength);
    ConfigChecks.rate("dropout", dropout);
    ConfigChecks.rate("dropPath", dropPath);
    if (!(layerNormEpsilon > 0)) {
      throw new IllegalArgumentException("layerNormEpsilon must be > 0, found " + layerNormEpsilon);
    }
    if (network == null) {
      network = NetworkVariant.PIX2SEQ_JAVA;
    }
    if (network == NetworkVariant.OFFICIAL) {
      if (convStem) {
        throw new IllegalArgumentException(
            "the official network has no convolutional stem: convStem must be false");
      }
      if (imageSize / patchSize < 2) {
        throw new IllegalArgumentException("the official network needs a grid of at least 2 x 2"
            + " patches, found imageSize=" + imageSize + " patchSize=" + patchSize);
      }
    }
  }

  /** A config of the default network variant ({@link NetworkVariant#PIX2SEQ_JAVA}). */
  public ModelConfig(int version, String preset, int imageSize, int patchSize, boolean convStem,
      int encoderLayers, int encoderWidth, int encoderHeads, int encoderMlp, int decoderLayers,
      int decoderWidth, int decoderHeads, int decoderMlp, int maxSequenceLength, double dropout,
      double dropPath, double layerNormEpsilon) {
    this(version, preset, imageSize, patchSize, convStem, encoderLayers, encoderWidth,
        encoderHeads, encoderMlp, decoderLayers, decoderWidth, decoderHeads, decoderMlp,
        maxSequenceLength, dropout, dropPath, layerNormEpsilon, NetworkVariant.PIX2SEQ_JAVA);
  }

  /** This config with another network variant. */
  public ModelConfig withNetwork(NetworkVariant variant) {
    return new ModelConfig(version, preset, imageSize, patchSize, convStem, encoderLayers,
        encoderWidth, encoderHeads, encoderMlp, decoderLayers, decoderWidth, decoderHeads,
        decoderMlp, maxSequenceLength, dropout, dropPath, layerNormEpsilon, variant);
  }

  private static Map<String, ModelConfig> presets() {
    Map<String, ModelConfig> m = new LinkedHashMap<>();
    // Trains on a 2-core CPU in minutes: 64 image tokens, 2+2 layers of width 128.
    m.put("tiny", new ModelConfig(CURRENT_VERSION, "tiny", 128, 16, true,
        2, 128, 4, 512, 2, 128, 4, 512, 320, 0.0, 0.0, 1e-6));
    // The demo's multi-task model, sized so that 2 CPU cores train it in minutes: 64 image
    // tokens, 3 encoder layers of width 128 (conv-stem channels 16, 32, 64), 2 decoder layers
    // of width 160, sequences up to 160 tokens.
    m.put("demo", new ModelConfig(CURRENT_VERSION, "demo", 128, 16, true,
        3, 128, 4, 512, 2, 160, 4, 640, 160, 0.0, 0.0, 1e-6));
    // A mid-size model: ViT-S/16 at 384 px (576 image tokens), decoder 4 x 256.
    m.put("small", new ModelConfig(CURRENT_VERSION, "small", 384, 16, false,
        12, 384, 6, 1536, 4, 256, 8, 1024, 512, 0.1, 0.1, 1e-6));
    // The paper's size: ViT-B/16 at 640 px (1600 image tokens), decoder 6 x 512 x 16 heads.
    m.put("base", new ModelConfig(CURRENT_VERSION, "base", 640, 16, false,
        12, 768, 12, 3072, 6, 512, 16, 2048, 512, 0.1, 0.1, 1e-6));
    // The official Pix2seq v2 networks of the released checkpoints (configs/config_base.py's
    // architecture map): ViT-B/16 at 640 and 1024 px, ViT-L/16 at 640 px, each with the official
    // 512-wide decoder and 512 learned positions. Imports take every size from the checkpoint;
    // "official" is the base of an imported network that equals none of the named ones.
    m.put("official", new ModelConfig(CURRENT_VERSION, "official", 640, 16,
        false, 12, 768, 12, 3072, 6, 512, 16, 2048, 512, 0.0, 0.0, 1e-6,
        NetworkVariant.OFFICIAL));
    m.put("official-vit-b-640", new ModelConfig(CURRENT_VERSION, "official-vit-b-640", 640, 16,
        false, 12, 768, 12, 3072, 6, 512, 16, 2048, 512, 0.0, 0.0, 1e-6,
        NetworkVariant.OFFICIAL));
    m.put("official-vit-b-1024", new ModelConfig(CURRENT_VERSION, "official-vit-b-1024", 1024, 16,
        false, 12, 768, 12, 3072, 6, 512, 16, 2048, 512, 0.0, 0.0, 1e-6,
        NetworkVariant.OFFICIAL));
    m.put("official-vit-l-640", new ModelConfig(CURRENT_VERSION, "official-vit-l-640", 640, 16,
        false, 24, 1024, 16, 4096, 8, 512, 16, 2048, 512, 0.0, 0.0, 1e-6,
        NetworkVariant.OFFICIAL));
    return Map.copyOf(m);
  }

  /**
   * A named preset: {@code tiny}, {@code demo}, {@code small}, {@code base}, or one of the
   * official networks {@code official-vit-b-640}, {@code official-vit-b-1024}, {@code
   * official-vit-l-640} ({@code official} is the base of imported networks of other sizes).
   *
   * @throws IllegalArgumentException naming the known presets if {@code name} is unknown
   */
  public static ModelConfig preset(String name) {
    ModelConfig c = PRESETS.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown model preset '" + name + "'; known presets: " + presetNames());
    }
    return c;
  }

  /** Names of the presets, sorted. */
  public static Set<String> presetNames() {
    return new java.util.TreeSet<>(PRESETS.keySet());
  }

  /** Number of image tokens the encoder produces. */
  public int imageTokens() {
    int side = imageSize / patchSize;
    return side * side;
  }
}

package dev.pix2seq.tasks.detect;

import dev.pix2seq.tasks.TaskOptions;

/**
 * Options of the detection task; {@link #defaults()} holds the Pix2seq reference's choices.
 *
 * @param maxObjects most objects per sequence (training truncates a random subset; generation
 *     stops after this many)
 * @param noisePadding whether training pads the sequence with noise objects
 * @param classCorruptionRate probability that a decoder-input class token is replaced
 * @param fakeClassShare share of replaced class tokens that become FAKE (the rest a random
 *     class of the vocabulary)
 * @param duplicateJitter largest jitter of a duplicate noise box, relative to its size
 * @param noiseClassWeight loss weight of the FAKE class target of a noise object (its
 *     coordinates always weigh 0)
 * @param eosWeight loss weight of the EOS target
 * @param objectOrder the order of the real objects in a training sequence
 */
public record DetectionOptions(
    int maxObjects,
    NoisePadding noisePadding,
    double classCorruptionRate,
    double fakeClassShare,
    double duplicateJitter,
    double noiseClassWeight,
    double eosWeight,
    ObjectOrder objectOrder)
    implements TaskOptions {

  /**
   * The order of the real objects in a training sequence (the Pix2seq paper compares these; random
   * is its choice at convergence, a fixed order gives the first tokens of a sequence one right
   * answer, which short trainings learn faster).
   */
  public enum ObjectOrder {
    /** A fresh random permutation per example (the reference). */
    RANDOM,
    /** Largest box first. */
    AREA,
    /** Nearest top-left corner to the image origin first. */
    DISTANCE_TO_ORIGIN
  }

  /** How training fills a sequence after the real objects. */
  public enum NoisePadding {
    /**
     * The reference: noise objects (class FAKE) follow the real ones until the sequence holds
     * {@code maxObjects} objects; EOS comes last. A model trained so keeps emitting (FAKE)
     * objects up to the limit, which improves recall; the decoder drops them.
     */
    FILL,
    /**
     * No noise: EOS directly follows the last real object, so generation can stop early (fewer
     * steps, lower recall).
     */
    NONE
  }

  /** The reference's 100 objects per image. */
  public static final int DEFAULT_MAX_OBJECTS = 100;
  /** The reference pads with noise. */
  public static final NoisePadding DEFAULT_NOISE_PADDING = NoisePadding.FILL;
  /** The reference corrupts every decoder-input class token ({@code rand_n_fake_cls}). */
  public static final double DEFAULT_CLASS_CORRUPTION_RATE = 1.0;
  /** Half random class, half FAKE. */
  public static final double DEFAULT_FAKE_CLASS_SHARE = 0.5;
  /** Duplicate noise boxes move their edges by up to 10 % of the box size. */
  public static final double DEFAULT_DUPLICATE_JITTER = 0.1;
  /** The reference's noise_bbox_weight. */
  public static final double DEFAULT_NOISE_CLASS_WEIGHT = 1.0;
  /** The reference shuffles objects. */
  public static final ObjectOrder DEFAULT_OBJECT_ORDER = ObjectOrder.RANDOM;
  /** EOS weighs like any other token. */
  public static final double DEFAULT_EOS_WEIGHT = 1.0;

  public DetectionOptions {
    if (maxObjects < 1) {
      throw new IllegalArgumentException("detect maxObjects must be >= 1, found " + maxObjects);
    }
    if (noisePadding == null) {
      throw new IllegalArgumentException("detect noisePadding must be FILL or NONE, found null");
    }
    checkRate("classCorruptionRate", classCorruptionRate);
    checkRate("fakeClassShare", fakeClassShare);
    checkNonNegative("duplicateJitter", duplicateJitter);
    checkNonNegative("noiseClassWeight", noiseClassWeight);
    checkNonNegative("eosWeight", eosWeight);
    if (objectOrder == null) {
      throw new IllegalArgumentException(
          "detect objectOrder must be RANDOM, AREA or DISTANCE_TO_ORIGIN, found null");
    }
  }

  /** Every default in one place. */
  public static DetectionOptions defaults() {
    return new DetectionOptions(
        DEFAULT_MAX_OBJECTS, DEFAULT_NOISE_PADDING, DEFAULT_CLASS_CORRUPTION_RATE,
        DEFAULT_FAKE_CLASS_SHARE, DEFAULT_DUPLICATE_JITTER, DEFAULT_NOISE_CLASS_WEIGHT,
        DEFAULT_EOS_WEIGHT, DEFAULT_OBJECT_ORDER);
  }

  public DetectionOptions withMaxObjects(int value) {
    return new DetectionOptions(value, noisePadding, classCorruptionRate, fakeClassShare,
        duplicateJitter, noiseClassWeight, eosWeight, objectOrder);
  }

  public DetectionOptions withNoisePadding(NoisePadding value) {
    return new DetectionOptions(maxObjects, value, classCorruptionRate, fakeClassShare,
        duplicateJitter, noiseClassWeight, eosWeight, objectOrder);
  }

  public DetectionOptions withClassCorruptionRate(double value) {
    return new DetectionOptions(maxObjects, noisePadding, value, fakeClassShare,
        duplicateJitter, noiseClassWeight, eosWeight, objectOrder);
  }

  public DetectionOptions withObjectOrder(ObjectOrder value) {
    return new DetectionOptions(maxObjects, noisePadding, classCorruptionRate, fakeClassShare,
        duplicateJitter, noiseClassWeight, eosWeight, value);
  }

  static void checkRate(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("detect " + name + " must be in [0, 1], found " + v);
    }
  }

  static void checkNonNegative(String name, double v) {
    if (!(v >= 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(
          "detect " + name + " must be finite and >= 0, found " + v);
    }
  }
}

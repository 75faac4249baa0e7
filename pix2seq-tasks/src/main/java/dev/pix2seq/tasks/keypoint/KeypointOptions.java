package dev.pix2seq.tasks.keypoint;

import dev.pix2seq.tasks.TaskOptions;

/**
 * Options of the keypoint task; {@link #defaults()} holds the Pix2seq reference's choices.
 *
 * @param unlabeledWeight loss weight of the INVISIBLE targets of an unlabeled keypoint
 * @param inputInvisibleRate probability that a decoder-input coordinate token is replaced by
 *     INVISIBLE (each token on its own)
 * @param eosWeight loss weight of the EOS target
 */
public record KeypointOptions(double unlabeledWeight, double inputInvisibleRate, double eosWeight)
    implements TaskOptions {

  /** The reference's invisible_token_weight. */
  public static final double DEFAULT_UNLABELED_WEIGHT = 0.1;
  /**
   * The reference draws the rate uniformly from [0, 1) per batch; 0.5 is its mean, as a fixed
   * rate.
   */
  public static final double DEFAULT_INPUT_INVISIBLE_RATE = 0.5;
  /** EOS weighs like any other token. */
  public static final double DEFAULT_EOS_WEIGHT = 1.0;

  public KeypointOptions {
    if (!(unlabeledWeight >= 0 && Double.isFinite(unlabeledWeight))) {
      throw new IllegalArgumentException(
          "keypoint unlabeledWeight must be finite and >= 0, found " + unlabeledWeight);
    }
    if (!(inputInvisibleRate >= 0 && inputInvisibleRate <= 1)) {
      throw new IllegalArgumentException(
          "keypoint inputInvisibleRate must be in [0, 1], found " + inputInvisibleRate);
    }
    if (!(eosWeight >= 0 && Double.isFinite(eosWeight))) {
      throw new IllegalArgumentException(
          "keypoint eosWeight must be finite and >= 0, found " + eosWeight);
    }
  }

  /** Every default in one place. */
  public static KeypointOptions defaults() {
    return new KeypointOptions(
        DEFAULT_UNLABELED_WEIGHT, DEFAULT_INPUT_INVISIBLE_RATE, DEFAULT_EOS_WEIGHT);
  }

  public KeypointOptions withInputInvisibleRate(double value) {
    return new KeypointOptions(unlabeledWeight, value, eosWeight);
  }
}

package dev.pix2seq.tasks.describe;

import dev.pix2seq.tasks.TaskOptions;

/**
 * Options of the describe (captioning) task; {@link #defaults()} holds the Pix2seq reference's
 * choices.
 *
 * @param maxCaptionTokens most text tokens per caption (longer captions are cut in training;
 *     generation stops after this many)
 * @param inputFakeRate probability that a decoder-input token is replaced by FAKE
 * @param eosWeight loss weight of the EOS target
 * @param captionChoice which reference caption a training example uses (absent: {@code
 *     RANDOM})
 * @param keepOrientation never flip a training image of this task; for captions whose word order
 *     follows the picture's left-to-right order, which a flip would contradict (a flip swaps only
 *     the words "left" and "right")
 */
public record DescribeOptions(int maxCaptionTokens, double inputFakeRate, double eosWeight,
    CaptionChoice captionChoice, boolean keepOrientation) implements TaskOptions {

  /** Which of an image's reference captions a training example is written from. */
  public enum CaptionChoice {
    /** One drawn at random per example, as the reference does. */
    RANDOM,
    /**
     * Always the image's first caption in the dataset: one deterministic target per image, for
     * datasets whose first caption is a canonical description (the synthetic scenes').
     */
    FIRST
  }

  /** Ample for COCO captions (about 10 to 20 tokens). */
  public static final int DEFAULT_MAX_CAPTION_TOKENS = 64;
  /** The reference's input_seq_drop_rate. */
  public static final double DEFAULT_INPUT_FAKE_RATE = 0.5;
  /** The reference's eos_token_weight. */
  public static final double DEFAULT_EOS_WEIGHT = 0.1;

  public DescribeOptions {
    captionChoice = captionChoice == null ? CaptionChoice.RANDOM : captionChoice;
    if (maxCaptionTokens < 1) {
      throw new IllegalArgumentException(
          "describe maxCaptionTokens must be >= 1, found " + maxCaptionTokens);
    }
    if (!(inputFakeRate >= 0 && inputFakeRate <= 1)) {
      throw new IllegalArgumentException(
          "describe inputFakeRate must be in [0, 1], found " + inputFakeRate);
    }
    if (!(eosWeight >= 0 && Double.isFinite(eosWeight))) {
      throw new IllegalArgumentException(
          "describe eosWeight must be finite and >= 0, found " + eosWeight);
    }
  }

  /** Every default in one place. */
  public static DescribeOptions defaults() {
    return new DescribeOptions(DEFAULT_MAX_CAPTION_TOKENS, DEFAULT_INPUT_FAKE_RATE,
        DEFAULT_EOS_WEIGHT, CaptionChoice.RANDOM, false);
  }

  public DescribeOptions withMaxCaptionTokens(int value) {
    return new DescribeOptions(value, inputFakeRate, eosWeight, captionChoice, keepOrientation);
  }

  public DescribeOptions withInputFakeRate(double value) {
    return new DescribeOptions(
        maxCaptionTokens, value, eosWeight, captionChoice, keepOrientation);
  }

  public DescribeOptions withCaptionChoice(CaptionChoice value) {
    return new DescribeOptions(
        maxCaptionTokens, inputFakeRate, eosWeight, value, keepOrientation);
  }

  public DescribeOptions withKeepOrientation(boolean value) {
    return new DescribeOptions(
        maxCaptionTokens, inputFakeRate, eosWeight, captionChoice, value);
  }
}

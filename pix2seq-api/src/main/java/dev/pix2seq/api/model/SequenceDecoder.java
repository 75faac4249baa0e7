package dev.pix2seq.api.model;

/** The autoregressive decoder: opens incremental decoding sessions over encoded images. */
public interface SequenceDecoder {

  /**
   * Opens a session with one row per entry of {@code imageOfRow}, row {@code r} attending to
   * image {@code imageOfRow[r]} of {@code features}. Cross-attention keys and values are
   * computed once per image.
   */
  DecodingSession open(ImageFeatures features, int[] imageOfRow);

  /**
   * Logits at every position of {@code tokens}, computed in one pass without a cache (teacher
   * forcing): {@code [rows][length][vocabSize]}, where entry {@code [r][t]} scores the token
   * after {@code tokens[r][0..t]}. The reference that cached decoding must reproduce.
   */
  float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens);

  /** The longest sequence (prompt plus response) the decoder accepts. */
  int maxSequenceLength();
}

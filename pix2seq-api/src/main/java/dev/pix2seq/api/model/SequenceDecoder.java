package dev.pix2seq.api.model;

/** The autoregressive decoder: opens incremental decoding sessions over encoded images. */
public interface SequenceDecoder {

  /**
   * Opens a session with one row per entry of {@code imageOfRow}, row {@code r} attending to
   * image {@code imageOfRow[r]} of {@code features}. Cross-attention keys and values are
   * computed once per image.
   */
  DecodingSession open(ImageFeatures features, int[] imageOfRow);

  /** The longest sequence (prompt plus response) the decoder accepts. */
  int maxSequenceLength();
}

package dev.pix2seq.api.model;

/**
 * Incremental decoding of a batch of rows against encoded images, keeping a key/value cache
 * between calls. Not thread-safe; one owner closes it.
 */
public interface DecodingSession extends AutoCloseable {

  /** Current number of rows. */
  int rows();

  /** Size of the logit rows (the vocabulary size). */
  int vocabSize();

  /**
   * Appends {@code tokens[r]} to row {@code r} (every row the same count, at least one) and
   * returns each row's logits for the next token.
   *
   * @return {@code [rows][vocabSize]} logits
   */
  float[][] feed(int[][] tokens);

  /**
   * Keeps the rows {@code rows[0], rows[1], ...} in that order (a row may repeat): how beam
   * search reorders beams and how finished rows are dropped.
   */
  void select(int[] rows);

  @Override
  void close();
}

package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;

/**
 * One attention layer's keys and values, split into heads.
 *
 * @param keysTransposed keys as {@code [rows, heads, headDim, length]} (ready for {@code q @ k})
 * @param values values as {@code [rows, heads, length, headDim]}
 */
public record KeyValue(NDArray keysTransposed, NDArray values) {

  /** Closes both arrays. */
  public void close() {
    keysTransposed.close();
    values.close();
  }
}

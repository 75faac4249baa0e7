package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;

/**
 * One attention layer's keys and values, split into heads.
 *
 * @param keysTransposed keys as {@code [rows, heads, headDim, length]} (ready for {@code q @ k})
 * @param values values as {@code [rows, heads, length, headDim]}
 */
public record KeyValue(NDArray keysTransposed, NDArray values) {

  /**
   * Both arrays laid out densely in their own axis order: copies of any that are strided views of
   * another layout. Keys and values read at every decoding step need it, since a product over a
   * view that cannot be flattened copies it first, every time (the ViT-B-640 network's
   * cross-attention at batch 8: 26 MB a layer and step).
   */
  public KeyValue dense() {
    return new KeyValue(dense(keysTransposed), dense(values));
  }

  private static NDArray dense(NDArray x) {
    return x.reshape(-1).reshape(x.getShape());
  }

  /** Closes both arrays. */
  public void close() {
    keysTransposed.close();
    values.close();
  }
}

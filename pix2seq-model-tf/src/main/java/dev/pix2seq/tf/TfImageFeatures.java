package dev.pix2seq.tf;

import dev.pix2seq.api.model.AbstractImageFeatures;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * Encoded images: the memory {@code [images, tokens, decoderWidth]} and every decoder layer's
 * cross-attention keys and values per image, computed once by the encode run and shared by
 * every session opened on them. Owns the run's tensors.
 */
final class TfImageFeatures extends AbstractImageFeatures {

  private final Result tensors;

  TfImageFeatures(TfModel model, Result tensors, int batchSize) {
    super(model, batchSize);
    this.tensors = tensors;
  }

  synchronized TFloat32 memory() {
    ensureOpen();
    return (TFloat32) tensors.get(0);
  }

  /** Flattened cross-attention entry {@code i} ({@code keys_0, values_0, keys_1, ...}). */
  synchronized TFloat32 cross(int i) {
    ensureOpen();
    return (TFloat32) tensors.get(1 + i);
  }

  @Override
  protected void release() {
    tensors.close();
  }
}

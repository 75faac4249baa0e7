package dev.pix2seq.tf;

import dev.pix2seq.api.model.AbstractPix2seqModel;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * Encoded images: the memory {@code [images, tokens, decoderWidth]} and every decoder layer's
 * cross-attention keys and values per image, computed once by the encode run and shared by
 * every session opened on them. Owns the run's tensors.
 */
final class TfImageFeatures implements AbstractPix2seqModel.Features {

  private final TfModel model;
  private final Result tensors;
  private final int batchSize;
  private boolean closed;

  TfImageFeatures(TfModel model, Result tensors, int batchSize) {
    this.model = model;
    this.tensors = tensors;
    this.batchSize = batchSize;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public TfModel model() {
    return model;
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
  public synchronized void ensureOpen() {
    if (closed || model.isClosed()) {
      throw new IllegalStateException("image features have been closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      tensors.close();
    }
  }
}

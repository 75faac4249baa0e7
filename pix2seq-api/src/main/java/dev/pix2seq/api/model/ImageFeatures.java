package dev.pix2seq.api.model;

/**
 * Encoded images held by a backend (native memory). One owner closes it; using it after
 * {@link #close()} fails fast. Belongs to one thread at a time.
 */
public interface ImageFeatures extends AutoCloseable {

  /** Number of images encoded. */
  int batchSize();

  @Override
  void close();
}

package dev.pix2seq.api.model;

/**
 * The backend-independent part of {@link ImageFeatures}: the model that encoded them, the batch
 * size and the closed state (closed also when the model is). A backend extends it with its
 * tensors and {@link #release}.
 */
public abstract class AbstractImageFeatures implements ImageFeatures {

  private final AbstractPix2seqModel<?> model;
  private final int batchSize;
  private volatile boolean closed;

  /** Features of {@code batchSize} images encoded by {@code model}. */
  protected AbstractImageFeatures(AbstractPix2seqModel<?> model, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
  }

  @Override
  public final int batchSize() {
    return batchSize;
  }

  /** The model that encoded them. */
  public AbstractPix2seqModel<?> model() {
    return model;
  }

  /**
   * @throws IllegalStateException if they or their model were closed
   */
  public final void ensureOpen() {
    if (closed || model.isClosed()) {
      throw new IllegalStateException("image features have been closed");
    }
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Frees the features' tensors; called once, by {@link #close}. */
  protected abstract void release();
}

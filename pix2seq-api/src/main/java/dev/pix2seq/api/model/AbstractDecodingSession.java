package dev.pix2seq.api.model;

/**
 * The backend-independent part of a {@link DecodingSession}: the row count, the positions fed so
 * far, every argument check and the closed state. A backend extends it with its tensor work
 * only: {@link #step} (run the decoder over checked new tokens against its cache) and {@link
 * #keep} (reorder its cache rows), each called with arguments already checked, and {@link
 * #release}. Not thread-safe.
 */
public abstract class AbstractDecodingSession implements DecodingSession {

  private final AbstractPix2seqModel<?> model;
  private int rows;
  private int length;
  private boolean closed;

  /** A session of {@code rows} rows of {@code model}, nothing fed yet. */
  protected AbstractDecodingSession(AbstractPix2seqModel<?> model, int rows) {
    this.model = model;
    this.rows = rows;
  }

  @Override
  public final int rows() {
    return rows;
  }

  @Override
  public final int vocabSize() {
    return model.vocabSize();
  }

  /** Tokens fed so far per row (the cache's length). */
  public final int length() {
    return length;
  }

  @Override
  public final float[][] feed(int[][] tokens) {
    ensureOpen();
    if (tokens.length != rows) {
      throw new IllegalArgumentException(
          "feed needs one token row per session row (" + rows + "), found " + tokens.length);
    }
    if (rows == 0) {
      return new float[0][];
    }
    int n = model.checkTokens(tokens, length);
    float[][] logits = step(tokens, n);
    length += n;
    return logits;
  }

  @Override
  public final void select(int[] keep) {
    ensureOpen();
    for (int i = 0; i < keep.length; i++) {
      if (keep[i] < 0 || keep[i] >= rows) {
        throw new IllegalArgumentException(
            "select index " + i + " = " + keep[i] + " is outside the session's " + rows + " rows");
      }
    }
    keep(keep);
    rows = keep.length;
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /**
   * Feeds {@code n} new tokens per row (checked against the vocabulary and the sequence length,
   * {@link #length()} positions already cached) and returns each row's logits for the next
   * token, {@code [rows][vocabSize]}. On failure the cache must be as it was.
   */
  protected abstract float[][] step(int[][] tokens, int n);

  /** Keeps the cache rows {@code keep[0], keep[1], ...} (each checked to exist), in order. */
  protected abstract void keep(int[] keep);

  /** Frees the session's tensors; called once, by {@link #close}. */
  protected abstract void release();

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("decoding session has been closed");
    }
    model.ensureOpen();
  }
}

package dev.pix2seq.djl.translator;

/**
 * A pix2seq checkpoint that DJL's {@code Criteria.loadModel()} cannot serve: missing, damaged,
 * of another version, not trained on the task the criteria ask for, or asked for with a bad
 * argument. Its message says which, naming the file or argument; the cause is the library's
 * own exception ({@link dev.pix2seq.api.CheckpointException}, {@link
 * dev.pix2seq.api.ConfigException}, {@code IllegalArgumentException}).
 *
 * <p>Unchecked on purpose: DJL wraps a translator factory's checked {@code TranslateException}
 * twice in {@code ModelNotFoundException}s whose messages ("No model with the specified URI or
 * the matching Input/Output type is found") hide the reason; this exception leaves {@code
 * loadModel()} as it is.
 */
public final class Pix2seqLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A load failure with the reason as its message. */
  public Pix2seqLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}

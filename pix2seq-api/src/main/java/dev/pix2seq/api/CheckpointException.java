package dev.pix2seq.api;

/** A checkpoint directory that is missing, truncated, tampered with or of another format. */
public class CheckpointException extends Pix2seqException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.pix2seq.api;

/** A dataset (COCO JSON, image file) that cannot be read as expected. */
public class DatasetException extends Pix2seqException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}

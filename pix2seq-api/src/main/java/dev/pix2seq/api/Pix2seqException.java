package dev.pix2seq.api;

/**
 * Root of the checked exceptions for domain failures: a bad dataset, a bad checkpoint, a bad
 * config file. Misuse of the API (a null argument, an out-of-range index) throws the JDK's
 * unchecked exceptions instead. Messages name the file, field or entry and what was expected.
 */
public class Pix2seqException extends Exception {
  private static final long serialVersionUID = 1L;

  public Pix2seqException(String message) {
    super(message);
  }

  public Pix2seqException(String message, Throwable cause) {
    super(message, cause);
  }
}
